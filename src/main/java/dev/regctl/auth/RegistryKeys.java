package dev.regctl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How registries are named in credential files: docker writes Docker Hub as
 * {@code https://index.docker.io/v1/}, older tools wrote keys as URLs ({@code https://host/v1/},
 * {@code http://host}, {@code host/v2/}) and podman may add a repository path. All of them name
 * a registry by their host part.
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

    /** The key docker itself uses for {@code registry}, and the server URL it gives helpers. */
    static String configKey(String registry) {
        String normalised = registryOf(registry);
        return normalised.equals(DOCKER_HUB) ? DOCKER_HUB_CONFIG_KEY : normalised;
    }

    /**
     * The key of {@code object} that names {@code registry}: the exact key docker would write
     * wins, then the first key whose host part matches.
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
            if (registryOf(name).equals(wanted)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
