package dev.regctl.http;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS set-up of a run: the JVM's trust store plus every CA certificate docker would trust for
 * the registries involved ({@code certs.d/HOST[:PORT]/*.crt}), or no verification with
 * {@code --insecure}; and the client certificates docker would present to them.
 */
public final class TrustConfig {
    private final SSLContext context;
    private final X509TrustManager trustManager;

    private TrustConfig(SSLContext context, X509TrustManager trustManager) {
        this.context = context;
        this.trustManager = trustManager;
    }

    public SSLContext sslContext() {
        return context;
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    /**
     * TLS for the given registry hosts: their certs.d CAs are trusted (anything is, when
     * {@code insecure}) and their client certificates offered. Without extra CAs the JVM default
     * trust is used unchanged, which keeps the common case free of keystore work at start-up.
     */
    public static TrustConfig forHosts(Collection<String> hosts, List<Path> certsDirs, boolean insecure) {
        KeyManager[] keys = keyManagers(hosts, certsDirs);
        if (insecure) {
            return insecure(keys);
        }
        List<X509Certificate> extra = new ArrayList<>();
        for (Path root : certsDirs) {
            for (String host : hosts) {
                extra.addAll(readCerts(root.resolve(host))); // docker's name: HOST[:PORT] as written, [v6] brackets kept
            }
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (extra.isEmpty()) {
                tmf.init((KeyStore) null);
                X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
                return new TrustConfig(context(keys, tm), tm);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((KeyStore) null);
            int i = 0;
            for (X509Certificate c : ((X509TrustManager) jvm.getTrustManagers()[0]).getAcceptedIssuers()) {
                ks.setCertificateEntry("jvm-" + i++, c);
            }
            for (X509Certificate c : extra) {
                ks.setCertificateEntry("certsd-" + i++, c);
            }
            tmf.init(ks);
            X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
            return new TrustConfig(context(keys, tm), tm);
        } catch (GeneralSecurityException | IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot set up TLS trust: " + e.getMessage(), null, e);
        }
    }

    private static KeyManager[] keyManagers(Collection<String> hosts, List<Path> certsDirs) {
        ClientCertificates clients = ClientCertificates.find(hosts, certsDirs);
        return clients == null ? null : new KeyManager[] {clients};
    }

    /** No verification at all: what {@code --insecure} asks for. */
    private static TrustConfig insecure(KeyManager[] keys) {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            return new TrustConfig(context(keys, trustAll), trustAll);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext context(KeyManager[] keys, X509TrustManager tm) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, new TrustManager[] {tm}, null);
        return ctx;
    }

    /** The CA certificates ({@code *.crt}) in one certs.d host directory; none if it is absent. */
    static List<X509Certificate> readCerts(Path hostDir) {
        List<X509Certificate> out = new ArrayList<>();
        if (!Files.isDirectory(hostDir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(hostDir, "*.crt")) {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Path f : files) {
                try (InputStream in = Files.newInputStream(f)) {
                    for (Certificate c : cf.generateCertificates(in)) {
                        out.add((X509Certificate) c);
                    }
                } catch (GeneralSecurityException e) {
                    throw new RegctlException(RegctlException.Kind.FAILURE,
                            "cannot read CA certificate " + f + ": " + e.getMessage(), "remove or fix the file", e);
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "cannot read " + hostDir + ": " + e.getMessage(), null, e);
        }
        return out;
    }
}
