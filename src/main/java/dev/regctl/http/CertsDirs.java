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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Docker's {@code certs.d} roots as one run sees them: which host directories exist (listed once,
 * so a handshake never searches the disk for hosts that have none), and each directory's CAs and
 * client certificate, read the first time they are needed and kept for the run.
 */
final class CertsDirs {

    /**
     * What one host directory holds, merged over the roots.
     *
     * @param caFiles the {@code *.crt} files whose CAs {@code cas} trusts; empty when there are none
     * @param cas a trust manager anchored at those CAs alone, or null
     * @param identity the client certificate to present, or null
     */
    record HostDir(List<Path> caFiles, X509ExtendedTrustManager cas, ClientCertificates.Identity identity) {
        static final HostDir EMPTY = new HostDir(List.of(), null, null);
    }

    private final List<Path> roots;
    private final Set<String> names;
    private final Map<String, HostDir> read = new ConcurrentHashMap<>();

    private CertsDirs(List<Path> roots, Set<String> names) {
        this.roots = roots;
        this.names = names;
    }

    /** Lists the host directories under {@code roots}; absent roots hold none. */
    static CertsDirs list(List<Path> roots) {
        Set<String> names = new LinkedHashSet<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
                for (Path d : dirs) {
                    names.add(d.getFileName().toString());
                }
            } catch (IOException e) {
                throw new RegctlException(RegctlException.Kind.FAILURE, "cannot read " + root + ": " + e.getMessage(), null, e);
            }
        }
        return new CertsDirs(List.copyOf(roots), Set.copyOf(names));
    }

    /** The host directory names present ({@code HOST[:PORT]}, as docker names them). */
    Set<String> names() {
        return names;
    }

    /** What {@code name}'s directories hold; {@link HostDir#EMPTY} for a name without one. */
    HostDir dir(String name) {
        if (name == null || !names.contains(name)) {
            return HostDir.EMPTY;
        }
        return read.computeIfAbsent(name, this::readDir);
    }

    private HostDir readDir(String name) {
        List<Path> files = new ArrayList<>();
        List<X509Certificate> cas = new ArrayList<>();
        ClientCertificates.Identity identity = null;
        for (Path root : roots) {
            Path hostDir = root.resolve(name);
            cas.addAll(readCerts(hostDir, files));
            if (identity == null) {
                identity = ClientCertificates.read(hostDir);
            }
        }
        return new HostDir(List.copyOf(files), cas.isEmpty() ? null : trusting(cas), identity);
    }

    /** A trust manager whose only anchors are {@code cas}. */
    private static X509ExtendedTrustManager trusting(List<X509Certificate> cas) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : cas) {
                ks.setCertificateEntry("certsd-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot set up TLS trust: " + e.getMessage(), null, e);
        }
    }

    /** The CA certificates ({@code *.crt}) in one host directory, noting each file in {@code files}. */
    private static List<X509Certificate> readCerts(Path hostDir, List<Path> files) {
        List<X509Certificate> out = new ArrayList<>();
        if (!Files.isDirectory(hostDir)) {
            return out;
        }
        try (DirectoryStream<Path> crts = Files.newDirectoryStream(hostDir, "*.crt")) {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Path f : crts) {
                try (InputStream in = Files.newInputStream(f)) {
                    for (Certificate c : cf.generateCertificates(in)) {
                        out.add((X509Certificate) c);
                    }
                } catch (GeneralSecurityException e) {
                    throw new RegctlException(RegctlException.Kind.FAILURE,
                            "cannot read CA certificate " + f + ": " + e.getMessage(), "remove or fix the file", e);
                }
                files.add(f);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "cannot read " + hostDir + ": " + e.getMessage(), null, e);
        }
        return out;
    }
}
