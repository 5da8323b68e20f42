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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS set-up of a run: the JVM's trust store, plus for each registry involved the CA
 * certificates docker would trust for it ({@code certs.d/HOST[:PORT]/*.crt}) or, with
 * {@code --insecure}, no verification; and the client certificates docker would present to them.
 * Each of these applies to its own registry's host alone, never to another host of the run.
 */
public final class TrustConfig {
    private final SSLContext context;
    private final X509TrustManager trustManager;
    private final Set<String> insecureHosts;

    private TrustConfig(SSLContext context, X509TrustManager trustManager, Set<String> insecureHosts) {
        this.context = context;
        this.trustManager = trustManager;
        this.insecureHosts = insecureHosts;
    }

    public SSLContext sslContext() {
        return context;
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    /**
     * {@code strict} for every host but the registries {@code --insecure} was given for, whose
     * certificates need not name them.
     */
    public HostnameVerifier hostnameVerifier(HostnameVerifier strict) {
        if (insecureHosts.isEmpty()) {
            return strict;
        }
        return (host, session) -> CertsDirName.match(insecureHosts, host, session.getPeerPort()) != null
                || strict.verify(host, session);
    }

    /**
     * TLS for the given registry hosts: each one's certs.d CAs are trusted for it (anything it
     * presents is, when {@code insecure}) and its client certificates offered to it. Without extra
     * CAs or {@code --insecure} the JVM default trust is used unchanged, which keeps the common
     * case free of keystore work at start-up.
     */
    public static TrustConfig forHosts(Collection<String> hosts, List<Path> certsDirs, boolean insecure) {
        KeyManager[] keys = keyManagers(hosts, certsDirs);
        try {
            X509ExtendedTrustManager jvm = jvmTrust();
            Set<String> insecureHosts = insecure ? Set.copyOf(hosts) : Set.of();
            Map<String, X509ExtendedTrustManager> extra = new HashMap<>();
            for (String host : hosts) {
                List<X509Certificate> cas = new ArrayList<>();
                for (Path root : certsDirs) {
                    cas.addAll(readCerts(root.resolve(host))); // docker's name: HOST[:PORT] as written, [v6] brackets kept
                }
                if (!cas.isEmpty() && !insecureHosts.contains(host)) {
                    extra.put(host, trusting(cas));
                }
            }
            X509TrustManager tm = extra.isEmpty() && insecureHosts.isEmpty()
                    ? jvm : new PerHostTrust(jvm, extra, insecureHosts);
            return new TrustConfig(context(keys, tm), tm, insecureHosts);
        } catch (GeneralSecurityException | IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot set up TLS trust: " + e.getMessage(), null, e);
        }
    }

    private static KeyManager[] keyManagers(Collection<String> hosts, List<Path> certsDirs) {
        ClientCertificates clients = ClientCertificates.find(hosts, certsDirs);
        return clients == null ? null : new KeyManager[] {clients};
    }

    private static X509ExtendedTrustManager jvmTrust() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
    }

    /** A trust manager whose only anchors are {@code cas}. */
    private static X509ExtendedTrustManager trusting(List<X509Certificate> cas)
            throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : cas) {
            ks.setCertificateEntry("certsd-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
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
