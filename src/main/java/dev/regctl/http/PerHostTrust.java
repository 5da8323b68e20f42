package dev.regctl.http;

import dev.regctl.RegctlException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a server for requests made for one registry (or for none): against the JVM's trust
 * store, then the CAs of that registry's certs.d directory, then those of the server's own
 * directory; not at all for the hosts of the registries given {@code --insecure}. The registry's
 * CAs thus vouch for its token realm and blob storage on other hosts, and never for another
 * registry, whose requests are verified by another instance.
 */
final class PerHostTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager jvm;
    private final CertsDirs dirs;
    private final String registryDir;
    private final Set<String> insecure;

    /**
     * @param registryDir the certs.d name of the registry the requests are made for, or null
     * @param insecure certs.d-style host names whose certificates are not verified
     */
    PerHostTrust(X509ExtendedTrustManager jvm, CertsDirs dirs, String registryDir, Set<String> insecure) {
        this.jvm = jvm;
        this.dirs = dirs;
        this.registryDir = registryDir;
        this.insecure = Set.copyOf(insecure);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, CertsDirName.match(insecure, socket), CertsDirName.match(dirs.names(), socket), peerOf(socket),
                tm -> tm.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain, CertsDirName.match(insecure, engine), CertsDirName.match(dirs.names(), engine),
                engine == null ? null : engine.getPeerHost(), tm -> tm.checkServerTrusted(chain, authType, engine));
    }

    private static String peerOf(Socket socket) {
        if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null) {
            return ssl.getHandshakeSession().getPeerHost();
        }
        return socket == null || socket.getInetAddress() == null ? null : socket.getInetAddress().getHostName();
    }

    /** One check of the server's chain by one trust manager. */
    private interface Check {
        void by(X509ExtendedTrustManager tm) throws CertificateException;
    }

    /**
     * Passes an insecure host; otherwise the JVM's anchors, then the registry's CAs, then the
     * peer's own. When certs.d CAs were tried and none signs, says which files they came from.
     */
    private void verify(X509Certificate[] chain, String insecureName, String peerDir, String peer, Check check)
            throws CertificateException {
        if (insecureName != null) {
            return;
        }
        try {
            check.by(jvm);
            return;
        } catch (CertificateException notPublic) {
            CertificateException last = notPublic;
            List<Path> tried = new ArrayList<>();
            for (String name : Stream.of(registryDir, peerDir).filter(Objects::nonNull).distinct().toList()) {
                CertsDirs.HostDir dir = read(name);
                if (dir.cas() == null) {
                    continue;
                }
                try {
                    check.by(dir.cas());
                    return;
                } catch (CertificateException notThese) {
                    if (namesAnotherHost(notThese)) {
                        throw notThese; // these CAs sign it: what is wrong is the name, not the CA
                    }
                    last = notThese;
                    tried.addAll(dir.caFiles());
                }
            }
            if (tried.isEmpty()) {
                throw notPublic;
            }
            throw new NotSignedByCertsD(peer, tried, chain.length == 0 ? null : chain[0], last);
        }
    }

    /** The JDK's words for a chain that validates but names another host than the one reached. */
    private static boolean namesAnotherHost(CertificateException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("No subject alternative") || message.startsWith("No name matching");
    }

        /** A directory read for the first time during a handshake fails it, with the reason as its cause. */
    private CertsDirs.HostDir read(String name) throws CertificateException {
        try {
            return dirs.dir(name);
        } catch (RegctlException e) {
            throw new CertificateException(e.getMessage(), e);
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
        return Stream.concat(Stream.of(jvm), Stream.ofNullable(dirs.dir(registryDir).cas()))
                .flatMap(tm -> Arrays.stream(tm.getAcceptedIssuers()))
                .toArray(X509Certificate[]::new);
    }
}
