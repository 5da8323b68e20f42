package dev.regctl.ops;

import dev.regctl.auth.Credential;
import dev.regctl.auth.DockerConfigFile;
import dev.regctl.oci.RegistryName;
import java.nio.file.Path;
import java.util.Map;

/** {@code login}/{@code logout}: checks credentials against the registry, then stores or erases them like docker. */
public final class Login {
    private final DockerConfigFile config;

    public Login(Path dockerConfigDir, Map<String, String> env) {
        this.config = new DockerConfigFile(dockerConfigDir, env);
    }

    /**
     * Checks the credentials with {@code GET /v2/} through the registry's challenge (Basic or a
     * token), and stores them only when the registry accepted them.
     */
    public void login(Session session, RegistryName registry, Credential.Basic credential) {
        session.useCredential(registry.name(), credential);
        session.registry(registry).checkAccess("log in to " + registry.name());
        config.store(registry.name(), credential);
    }

    /** Removes stored credentials; false when there were none. */
    public boolean logout(RegistryName registry) {
        return config.erase(registry.name());
    }
}
