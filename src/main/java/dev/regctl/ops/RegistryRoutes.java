package dev.regctl.ops;

import dev.regctl.oci.Reference;
import dev.regctl.oci.RegistryName;
import dev.regctl.registries.RegistriesConf;
import dev.regctl.registries.Resolution;
import dev.regctl.store.ImageStore;
import dev.regctl.store.MirroredStore;
import dev.regctl.store.Registry;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns a registry reference into the store registries.conf routes it to: refused when its entry
 * blocks it (before any request), at its rewritten location, and, when opened to be read, read
 * through its mirrors first. A registry named as a whole ({@code ls}, {@code login}) passes the
 * same block, and is then used as named (see {@link RegistriesConf#requireAllowed(RegistryName)}).
 * The configuration is read on the first registry reference only, so a run on layouts and
 * archives never parses it.
 */
final class RegistryRoutes {
    private final Supplier<RegistriesConf> conf;
    private final Function<Reference, ImageStore> repositories;
    private final Function<RegistryName, Registry> registries;
    private final Consumer<String> note;
    private volatile RegistriesConf loaded;

    /**
     * @param note where {@code -v} tells which endpoint answered, or null for nowhere
     */
    RegistryRoutes(Supplier<RegistriesConf> conf, Function<Reference, ImageStore> repositories,
            Function<RegistryName, Registry> registries, Consumer<String> note) {
        this.conf = conf;
        this.repositories = repositories;
        this.registries = registries;
        this.note = note == null ? text -> { } : note;
    }

    private RegistriesConf conf() {
        RegistriesConf c = loaded;
        if (c == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = conf.get();
                }
                c = loaded;
            }
        }
        return c;
    }

    Resolution resolve(Reference ref) {
        return conf().resolve(ref);
    }

    /** The hosts registries.conf marks insecure (its entries' locations and mirrors). */
    Set<String> insecureHosts() {
        return conf().insecureHosts();
    }

    /** A registry as a whole, refused before any request when an entry blocks it. */
    Registry registry(RegistryName name) {
        conf().requireAllowed(name);
        return registries.apply(name);
    }

    ImageStore open(Reference ref, boolean toRead) {
        Resolution route = resolve(ref);
        route.requireAllowed();
        ImageStore primary = repositories.apply(route.primary());
        if (!toRead || route.mirrors().isEmpty()) {
            return primary;
        }
        List<MirroredStore.Endpoint> mirrors = route.mirrors().stream()
                .map(m -> new MirroredStore.Endpoint(m.reference().name(), repositories.apply(m.reference())))
                .toList();
        String shown = ref.name();
        return new MirroredStore(primary, route.primary().name(), mirrors, text -> note.accept(shown + ": " + text));
    }
}
