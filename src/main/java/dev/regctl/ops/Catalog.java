package dev.regctl.ops;

import dev.regctl.oci.RegistryName;
import java.util.List;
import java.util.function.Predicate;

/** The repositories a registry lists in its catalog ({@code regctl ls}). */
public final class Catalog {
    private final Session session;

    public Catalog(Session session) {
        this.session = session;
    }

    /** The repositories of {@code registry} that pass {@code keep}, at most {@code limit} of them (0: all). */
    public List<String> repositories(RegistryName registry, Predicate<String> keep, int limit) {
        return session.registry(registry).repositories(keep, limit);
    }
}
