package dev.regctl.store.registry;

import dev.regctl.store.Registry;
import java.util.List;
import java.util.function.Predicate;

/** A registry as a whole: its {@code /v2/} root, which answers with or without our credentials, and its catalog. */
public final class RegistryRoot implements Registry {
    private final RegistryClient client;

    public RegistryRoot(RegistryClient client) {
        this.client = client;
    }

    @Override
    public List<String> repositories(Predicate<String> keep, int limit) {
        return new CatalogEndpoint(client).list(keep, limit);
    }

    @Override
    public void checkAccess(String what) {
        client.checkAccess(what);
    }
}
