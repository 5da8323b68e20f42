package dev.regctl.http;

import dev.regctl.RegctlException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS set-up of a run, chosen by the registry a request is made for, as docker and
 * containers/image do: a request for registry R (its API, its token realm, a redirect to its blob
 * storage, wherever that is) trusts the JVM's store, R's {@code certs.d/HOST[:PORT]/*.crt} and the
 * reached host's own certs.d CAs, and offers R's client certificate unless that host has its own.
 * A request for no registry gets the JVM's store and its host's own directory only. One
 * registry's CAs never serve another registry's requests, and {@code --insecure} skips
 * verification for the run's registry hosts alone.
 */
final class TrustConfig {

    /** What requests of one trust set are sent with: one socket factory, so one connection pool entry and one TLS session cache per set. */
    public record Tls(SSLSocketFactory socketFactory, X509TrustManager trustManager) {
    }

    private final CertsDirs dirs;
    private final Set<String> insecureHosts;
    private final X509ExtendedTrustManager jvm;
    private final Tls shared;
    private final Map<String, Tls> byRegistryDir = new ConcurrentHashMap<>();

    private TrustConfig(CertsDirs dirs, Set<String> insecureHosts) {
        this.dirs = dirs;
        this.insecureHosts = insecureHosts;
        this.jvm = jvmTrust();
        this.shared = build(null);
    }

    /**
     * The trust of a run that talks to {@code hosts} (certs.d-style {@code HOST[:PORT]}; with
     * {@code insecure} their certificates are not verified). Their directories are read now, so a
     * broken file there is reported before any request; other hosts' directories when first met.
     */
    public static TrustConfig forHosts(Collection<String> hosts, List<Path> certsDirs, boolean insecure) {
        return forHosts(hosts, certsDirs, insecure ? Set.copyOf(hosts) : Set.of());
    }

    /** As {@link #forHosts(Collection, List, boolean)}, with the hosts whose certificates are not verified named. */
    public static TrustConfig forHosts(Collection<String> hosts, List<Path> certsDirs, Set<String> insecureHosts) {
        CertsDirs dirs = CertsDirs.list(certsDirs);
        for (String host : hosts) {
            dirs.dir(host);
        }
        return new TrustConfig(dirs, Set.copyOf(insecureHosts));
    }

    /**
     * The TLS settings for a request made for {@code registry} (null: for none). A registry
     * without a certs.d directory of its own shares the settings of requests made for none,
     * which trust exactly the same.
     */
    public Tls forRegistry(RequestFor registry) {
        String dir = registry == null ? null : CertsDirName.forRegistry(dirs.names(), registry.registry());
        return dir == null ? shared : byRegistryDir.computeIfAbsent(dir, this::build);
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
     * Without certs.d directories or {@code --insecure} the JVM's trust is used unchanged, which
     * keeps the common case free of any further set-up.
     */
    private Tls build(String registryDir) {
        X509TrustManager tm = dirs.names().isEmpty() && insecureHosts.isEmpty()
                ? jvm : new PerHostTrust(jvm, dirs, registryDir, insecureHosts);
        KeyManager[] keys = dirs.names().isEmpty() ? null : new KeyManager[] {new ClientCertificates(dirs, registryDir)};
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, new TrustManager[] {tm}, null);
            return new Tls(ctx.getSocketFactory(), tm);
        } catch (GeneralSecurityException e) {
            throw cannotSetUp(e);
        }
    }

    private static X509ExtendedTrustManager jvmTrust() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            return (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw cannotSetUp(e);
        }
    }

    private static RegctlException cannotSetUp(GeneralSecurityException e) {
        return new RegctlException(RegctlException.Kind.FAILURE, "cannot set up TLS trust: " + e.getMessage(), null, e);
    }
}
