package dev.regctl.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a server against the JVM's trust store plus the CAs of that server's own certs.d
 * directory, or not at all for the registries given {@code --insecure}: the peer's host and port
 * from the handshake pick which, so one registry's CA never vouches for another host.
 */
final class PerHostTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager jvm;
    private final Map<String, X509ExtendedTrustManager> certsDirCas;
    private final Set<String> insecure;

    /**
     * @param certsDirCas per certs.d host name, a trust manager anchored at that directory's CAs only
     * @param insecure certs.d-style host names whose certificates are not verified
     */
    PerHostTrust(X509ExtendedTrustManager jvm, Map<String, X509ExtendedTrustManager> certsDirCas, Set<String> insecure) {
        this.jvm = jvm;
        this.certsDirCas = Map.copyOf(certsDirCas);
        this.insecure = Set.copyOf(insecure);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(CertsDirName.match(insecure, socket), CertsDirName.match(certsDirCas.keySet(), socket),
                tm -> tm.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(CertsDirName.match(insecure, engine), CertsDirName.match(certsDirCas.keySet(), engine),
                tm -> tm.checkServerTrusted(chain, authType, engine));
    }

    /** One check of the server's chain by one trust manager. */
    private interface Check {
        void by(X509ExtendedTrustManager tm) throws CertificateException;
    }

    /** Passes an insecure host; otherwise the JVM's anchors, then (if any) the peer's own certs.d CAs. */
    private void verify(String insecureName, String certsDirName, Check check) throws CertificateException {
        if (insecureName != null) {
            return;
        }
        X509ExtendedTrustManager own = certsDirName == null ? null : certsDirCas.get(certsDirName);
        try {
            check.by(jvm);
        } catch (CertificateException notPublic) {
            if (own == null) {
                throw notPublic;
            }
            check.by(own);
        }
    }

    /** No peer to tell the host by: only the JVM's trust applies. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jvm.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        jvm.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        jvm.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jvm.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return Stream.concat(Stream.of(jvm), certsDirCas.values().stream())
                .flatMap(tm -> Arrays.stream(tm.getAcceptedIssuers()))
                .toArray(X509Certificate[]::new);
    }
}
