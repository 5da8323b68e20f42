package dev.regctl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the credential for a registry in the order docs/commands.md (Credentials) gives: docker's
 * {@code config.json} ({@code credHelpers}, then {@code credsStore}, then {@code auths}), then
 * podman's auth file, then anonymous. Files are read on every call, so a login in another shell is seen at once.
 */
public final class CredentialResolver {
    private final Path dockerConfigDir;
    private final Map<String, String> env;

    /**
     * @param dockerConfigDir the directory holding {@code config.json} ({@code --config},
     *                        {@code DOCKER_CONFIG} or {@code ~/.docker})
     * @param env             the environment: {@code PATH} for helpers, {@code REGISTRY_AUTH_FILE}
     *                        and {@code XDG_RUNTIME_DIR} for podman's file
     */
    public CredentialResolver(Path dockerConfigDir, Map<String, String> env) {
        this.dockerConfigDir = Objects.requireNonNull(dockerConfigDir, "dockerConfigDir");
        this.env = Map.copyOf(env);
    }

    /**
     * The credential for {@code registry} ({@code docker.io} or {@code host[:port]}).
     *
     * @throws dev.regctl.RegctlException USAGE when a credential file is malformed or names a
     *                                    helper that is not installed; FAILURE when a helper fails
     */
    public Credential resolve(String registry) {
        Path dockerConfig = dockerConfigDir.resolve("config.json");
        Optional<Credential> found = AuthFile.read(dockerConfig)
                .flatMap(config -> fromDockerConfig(dockerConfig, config, registry));
        if (found.isEmpty()) {
            found = podmanAuthFile().flatMap(file -> AuthFile.read(file).flatMap(auth -> fromAuths(file, auth, registry)));
        }
        return found.orElseGet(Credential.Anonymous::new);
    }

    private Optional<Credential> fromDockerConfig(Path file, ObjectNode config, String registry) {
        String serverUrl = RegistryKeys.configKey(registry);
        JsonNode credHelpers = config.get("credHelpers");
        Optional<String> helperKey = RegistryKeys.find(credHelpers, registry);
        if (helperKey.isPresent()) {
            String name = AuthFile.text(credHelpers, helperKey.get());
            if (!name.isEmpty()) {
                Optional<Credential> c = new CredentialHelper(name, env).get(serverUrl);
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        String store = AuthFile.text(config, "credsStore");
        if (!store.isEmpty()) {
            Optional<Credential> c = new CredentialHelper(store, env).get(serverUrl);
            if (c.isPresent()) {
                return c;
            }
        }
        return fromAuths(file, config, registry);
    }

    private static Optional<Credential> fromAuths(Path file, ObjectNode root, String registry) {
        JsonNode auths = root.get("auths");
        return RegistryKeys.find(auths, registry)
                .flatMap(key -> AuthFile.credential(file, key, auths.get(key)));
    }

    /** {@code REGISTRY_AUTH_FILE}, else {@code $XDG_RUNTIME_DIR/containers/auth.json}, as podman and skopeo look. */
    private Optional<Path> podmanAuthFile() {
        String explicit = env.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isEmpty()) {
            return Optional.of(Path.of(explicit));
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            return Optional.of(Path.of(runtime, "containers", "auth.json"));
        }
        return Optional.empty();
    }
}
