package dev.regctl.store;

/**
 * Where a store is when it is a repository of a registry: what only registries do (mounting a
 * blob from another of their repositories, counting pulls) is decided by this value.
 *
 * @param registry   the normalised registry name ({@code docker.io}, {@code localhost:5000})
 * @param repository the repository's path on it ({@code library/alpine})
 */
public record RegistryRepository(String registry, String repository) {
}
