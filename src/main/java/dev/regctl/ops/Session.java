package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.auth.Credential;
import dev.regctl.auth.CredentialResolver;
import dev.regctl.auth.RegistryAuthInterceptor;
import dev.regctl.http.Transport;
import dev.regctl.http.TransportOptions;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.LayoutReference;
import dev.regctl.oci.Reference;
import dev.regctl.oci.RegistryName;
import dev.regctl.registries.RegistriesConf;
import dev.regctl.store.ImageStore;
import dev.regctl.store.Registry;
import dev.regctl.store.archive.ArchiveStores;
import dev.regctl.store.ocidir.NewLayoutStore;
import dev.regctl.store.ocidir.OciLayoutStore;
import dev.regctl.store.registry.OpenUploads;
import dev.regctl.store.registry.RegistryClient;
import dev.regctl.store.registry.RegistryRoot;
import dev.regctl.store.registry.RegistryStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What one run shares: the HTTP transport, the credential lookup and the token cache inside the
 * auth interceptor; and the one door to stores: operations get every store and registry from
 * here, and never learn which kind of store a reference named.
 */
public final class Session implements AutoCloseable {

    /**
     * Settings of a run, from global options and the environment.
     *
     * @param registries the registries.conf in effect, read when a registry reference is first opened
     */
    public record Options(Path dockerConfigDir, boolean insecure, PrintWriter trace, Map<String, String> env,
            Supplier<RegistriesConf> registries) {

        /** Without registries.conf: every reference used as written. */
        public Options(Path dockerConfigDir, boolean insecure, PrintWriter trace, Map<String, String> env) {
            this(dockerConfigDir, insecure, trace, env, () -> RegistriesConf.NONE);
        }
    }

    /** How long a registry is given to finish with a request whose connection we dropped. */
    private static final Duration SERVER_SETTLE = Duration.ofMillis(200);

    private final CredentialResolver credentials;
    private final Map<String, Credential> overrides = new ConcurrentHashMap<>();
    private final Transport transport;
    private final OpenUploads uploads = new OpenUploads();
    private final RegistryRoutes routes;

    /** @param apiHosts the hosts this run will talk to, whose certs.d CAs are trusted */
    public Session(Options options, Collection<String> apiHosts) {
        this.credentials = new CredentialResolver(options.dockerConfigDir(), options.env());
        PrintWriter trace = options.trace();
        this.routes = new RegistryRoutes(options.registries(), this::repository,
                name -> new RegistryRoot(client(name.name(), name.apiHost())),
                trace == null ? null : text -> {
                    trace.println("regctl: " + text);
                    trace.flush();
                });
        this.transport = new Transport(
                new TransportOptions(options.insecure(), options.trace(),
                        TransportOptions.defaultCertsDirs(options.dockerConfigDir()))
                        .withInsecureHosts(routes::insecureHosts),
                apiHosts,
                tokenClient -> new RegistryAuthInterceptor(this::credentialFor, tokenClient));
    }

    /** What a store is opened for; the name says what the caller will do to it. */
    public enum Access {
        /** Read what exists: a layout or an archive must be there. */
        READ,
        /**
         * Write images into it, creating it where it is missing: a layout is made by the first
         * write (so a dry run, or a copy that fails before writing, leaves no directory behind);
         * an archive is written new, whole, and put in place when the copy commits.
         */
        CREATE,
        /**
         * Change what exists in place (tags, deletes): a layout must be there; an archive is
         * opened where it lies, and refuses what it cannot do without being written whole again.
         */
        CHANGE
    }

    /**
     * The store a reference names: a registry repository, an OCI layout or an archive, opened for
     * {@code access}. The one place that tells the kinds apart.
     * A registry image goes where registries.conf routes it (see {@link RegistryRoutes}).
     */
    public ImageStore open(ImageRef ref, Access access) {
        if (ref instanceof Reference r) {
            return routes.open(r, access == Access.READ);
        }
        if (ref instanceof ArchiveReference a) {
            // An archive is read where it lies, or written whole by one copy: never both at once.
            return access == Access.CREATE ? ArchiveStores.write(a) : ArchiveStores.read(a);
        }
        Path dir = ((LayoutReference) ref).path();
        if (access != Access.CREATE) {
            return OciLayoutStore.open(dir);
        }
        if (Files.exists(dir.resolve("oci-layout")) || (Files.isDirectory(dir) && !isEmptyDirectory(dir))) {
            // create() completes a half-made layout and refuses a directory of other files.
            return OciLayoutStore.create(dir);
        }
        return new NewLayoutStore(dir);
    }

    /**
     * A registry as a whole, for what is asked of it beside its repositories: its catalog, a login
     * check. Refused, before any request, when registries.conf blocks it (see {@link RegistryRoutes}).
     */
    public Registry registry(RegistryName name) {
        return routes.registry(name);
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "oci:" + dir + ": " + e.getMessage(), null, e);
        }
    }

    private RegistryClient client(String registry, String apiHost) {
        return new RegistryClient(transport, registry, apiHost, uploads);
    }

    private RegistryStore repository(Reference ref) {
        return new RegistryStore(client(ref.registry(), ref.apiHost()), ref.repository());
    }

    /** Uses {@code credential} for {@code registry} in this run instead of the stored one (login checks it so). */
    void useCredential(String registry, Credential credential) {
        overrides.put(registry, credential);
    }

    private Credential credentialFor(String registry, String repository) {
        Credential forced = overrides.get(registry);
        return forced != null ? forced : credentials.resolve(registry, repository);
    }

    /**
     * Stops a run half way: asks the registries to drop the upload sessions still open, waiting
     * at most {@code limit}. Blobs already uploaded stay, so a rerun resumes; no tag is touched.
     *
     * @return how many upload sessions were open
     */
    public int abort(Duration limit) {
        transport.cancelAll(limit.dividedBy(3));
        try {
            // The registry notices the dropped connection a moment after we do, and only then stops writing.
            Thread.sleep(SERVER_SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return uploads.cancelAll(limit.dividedBy(2));
    }

    @Override
    public void close() {
        transport.close();
    }
}
