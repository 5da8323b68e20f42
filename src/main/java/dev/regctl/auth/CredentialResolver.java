package dev.regctl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
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
     * The credential for {@code registry} ({@code docker.io} or {@code host[:port]}) as a whole.
     *
     * @throws dev.regctl.RegctlException USAGE when a credential file is malformed or names a
     *                                    helper that is not installed; FAILURE when a helper fails
     */
    public Credential resolve(String registry) {
        return resolve(registry, null);
    }

    /**
     * The credential for {@code repository} on {@code registry}: an {@code auths} key for the
     * repository or a namespace above it ({@code quay.io/org/app}, {@code quay.io/org}) is more
     * specific than the registry's, as containers-auth.json(5) has it; helpers are per registry.
     *
     * @param repository the repository path ({@code library/alpine}), or null for the registry alone
     * @throws dev.regctl.RegctlException as {@link #resolve(String)}
     */
    public Credential resolve(String registry, String repository) {
        Path dockerConfig = dockerConfigDir.resolve("config.json");
        Optional<Credential> found = AuthFile.read(dockerConfig)
                .flatMap(config -> fromDockerConfig(dockerConfig, config, registry, repository));
        if (found.isEmpty()) {
            found = podmanAuthFile().flatMap(file -> AuthFile.read(file)
                    .flatMap(auth -> fromPodmanAuth(file, auth, registry, repository)));
        }
        return found.orElseGet(Credential.Anonymous::new);
    }

    /** podman's file: its {@code credHelpers} for the registry (given the registry's name, as podman does), then {@code auths}. */
    private Optional<Credential> fromPodmanAuth(Path file, ObjectNode auth, String registry, String repository) {
        JsonNode credHelpers = auth.get("credHelpers");
        Optional<String> helperKey = RegistryKeys.find(credHelpers, registry);
        if (helperKey.isPresent()) {
            String name = AuthFile.text(credHelpers, helperKey.get());
            if (!name.isEmpty()) {
                Optional<Credential> c = new CredentialHelper(name, env).get(RegistryKeys.registryOf(registry));
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        return fromAuths(file, auth, registry, repository);
    }

    private Optional<Credential> fromDockerConfig(Path file, ObjectNode config, String registry, String repository) {
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
        return fromAuths(file, config, registry, repository);
    }

    private static Optional<Credential> fromAuths(Path file, ObjectNode root, String registry, String repository) {
        JsonNode auths = root.get("auths");
        return RegistryKeys.find(auths, registry, repository)
                .flatMap(key -> AuthFile.credential(file, key, auths.get(key)));
    }

    /**
     * {@code REGISTRY_AUTH_FILE}, else {@code $XDG_RUNTIME_DIR/containers/auth.json}, else, when
     * that is absent, {@code $XDG_CONFIG_HOME/containers/auth.json} ({@code ~/.config} by default),
     * as podman and skopeo look.
     */
    private Optional<Path> podmanAuthFile() {
        String explicit = env.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isEmpty()) {
            return Optional.of(Path.of(explicit));
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            Path file = Path.of(runtime, "containers", "auth.json");
            if (Files.exists(file)) {
                return Optional.of(file);
            }
        }
        String configHome = env.getOrDefault("XDG_CONFIG_HOME", "");
        if (configHome.isEmpty()) {
            String home = env.getOrDefault("HOME", "");
            if (home.isEmpty()) {
                return Optional.empty();
            }
            configHome = Path.of(home, ".config").toString();
        }
        return Optional.of(Path.of(configHome, "containers", "auth.json"));
    }
}
