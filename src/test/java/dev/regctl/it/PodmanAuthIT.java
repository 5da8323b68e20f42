package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * podman's auth.json as podman writes it, in {@code ~/.config/containers} (no {@code XDG_RUNTIME_DIR}),
 * against a real htpasswd registry: a key per repository beside the registry's key, and a
 * registries.conf mirror that needs its own credential.
 */
class PodmanAuthIT {
    private static final String PASSWORD = "alice-Podman-4e1b";

    @AutoClose
    static RegistryServer registry;
    @AutoClose
    static Launcher regctl;

    private static Map<String, String> teamDigests;

    @BeforeAll
    static void seed() {
        registry = RegistryServer.htpasswd(Map.of("alice", PASSWORD)).start();
        regctl = Launcher.create();
        try (Seeder seeder = Seeder.withBasicAuth(registry, "alice", PASSWORD)) {
            teamDigests = seeder.tags("team/app", List.of("1"));
            seeder.tags("other/app", List.of("1"));
            seeder.tags("hub/library/alpine", List.of("3.20"));
        }
    }

    private static void podmanAuth(String json) throws IOException {
        Path file = regctl.home().resolve(".config/containers/auth.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRepositoryKeyIsUsedForItsRepositoryAndTheRegistryKeyForOthers() throws IOException {
        podmanAuth("""
                {"auths": {
                  "%1$s": {"auth": "%2$s"},
                  "%1$s/team/app": {"auth": "%3$s"}}}""".formatted(registry.host(), basic("alice", "wrong-password"),
                basic("alice", PASSWORD)));
        Launcher.Result team = regctl.run("digest", registry.host() + "/team/app:1");
        assertEquals(0, team.exitCode(), team::toString);
        assertEquals(teamDigests.get("1"), team.stdoutText().strip());

        Launcher.Result other = regctl.run("digest", registry.host() + "/other/app:1");
        assertEquals(4, other.exitCode(), "the registry key's wrong password is what other/app gets: " + other);
    }

    @Test
    void aMirrorIsSentItsOwnCredential() throws IOException {
        podmanAuth("""
                {"auths": {"%s": {"auth": "%s"}}}""".formatted(registry.host(), basic("alice", PASSWORD)));
        Path conf = Files.writeString(regctl.scratch("conf").resolve("registries.conf"), """
                [[registry]]
                location = "docker.io"
                [[registry.mirror]]
                location = "%s/hub"
                """.formatted(registry.host()));
        Launcher.Result r = regctl.call("inspect", "alpine:3.20").env("CONTAINERS_REGISTRIES_CONF", conf.toString())
                .env("HTTPS_PROXY", "http://127.0.0.1:9").run();
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(registry.countRequests("GET", "/v2/hub/library/alpine/manifests/3\\.20") > 0, registry.log());
    }
}
