package dev.regctl.ops;

import dev.regctl.auth.Credential;
import dev.regctl.auth.DockerConfigFile;
import dev.regctl.oci.RegistryName;
import dev.regctl.store.registry.RegistryClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import okhttp3.Response;

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
        RegistryClient client = session.registry(registry.name(), registry.apiHost());
        try (Response ignored = client.execute(new Request.Builder().url(client.url()).get(), List.of(),
                "log in to " + registry.name())) {
            // 200 means the registry (or its token server) accepted the credentials.
        }
        config.store(registry.name(), credential);
    }

    /** Removes stored credentials; false when there were none. */
    public boolean logout(RegistryName registry) {
        return config.erase(registry.name());
    }
}
