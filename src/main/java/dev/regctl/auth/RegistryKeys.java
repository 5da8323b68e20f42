package dev.regctl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How registries are named in credential files: docker writes Docker Hub as
 * {@code https://index.docker.io/v1/}, older tools wrote keys as URLs ({@code https://host/v1/},
 * {@code http://host}, {@code host/v2/}), all naming a registry by their host part. Podman's
 * {@code host/namespace[/repo]} keys (containers-auth.json(5)) name only the repositories under
 * that path, and the most specific one wins.
 */
final class RegistryKeys {
    static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";
    private static final Set<String> DOCKER_HUB_NAMES = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

    private RegistryKeys() {
    }

    /** The registry a credential-file key stands for: scheme and path dropped, Hub's names folded. */
    static String registryOf(String key) {
        String s = key.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        s = s.toLowerCase(Locale.ROOT);
        return DOCKER_HUB_NAMES.contains(s) ? DOCKER_HUB : s;
    }

    /**
     * Whether a key names repositories under a path ({@code quay.io/org}) rather than a registry:
     * a path without a scheme, other than the API versions old docker logins wrote.
     */
    private static boolean namesNamespace(String key) {
        String s = key.strip();
        if (s.contains("://")) {
            return false;
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String path = s.substring(slash + 1);
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return !path.isEmpty() && !path.equals("v1") && !path.equals("v2");
    }

    /** The key docker itself uses for {@code registry}, and the server URL it gives helpers. */
    static String configKey(String registry) {
        String normalised = registryOf(registry);
        return normalised.equals(DOCKER_HUB) ? DOCKER_HUB_CONFIG_KEY : normalised;
    }

    /**
     * The key of {@code object} for {@code repository} on {@code registry}: the longest
     * {@code host/namespace...} key that is the repository or one of its parents, else the key for
     * the registry as {@link #find(JsonNode, String)} picks it.
     *
     * @param repository the repository path ({@code library/alpine}), or null for the registry alone
     */
    static Optional<String> find(JsonNode object, String registry, String repository) {
        if (object == null || !object.isObject()) {
            return Optional.empty();
        }
        if (repository != null) {
            String host = registryOf(registry);
            for (String path = repository; !path.isEmpty(); path = parent(path)) {
                if (object.has(host + "/" + path)) {
                    return Optional.of(host + "/" + path);
                }
            }
        }
        return find(object, registry);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /**
     * The key of {@code object} that names {@code registry}: the exact key docker would write
     * wins, then the first key whose host part matches, leaving out keys for a namespace.
     */
    static Optional<String> find(JsonNode object, String registry) {
        if (object == null || !object.isObject()) {
            return Optional.empty();
        }
        String exact = configKey(registry);
        if (object.has(exact)) {
            return Optional.of(exact);
        }
        String wanted = registryOf(registry);
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (registryOf(name).equals(wanted) && !namesNamespace(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
