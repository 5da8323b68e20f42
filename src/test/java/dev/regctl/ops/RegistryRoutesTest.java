package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import dev.regctl.auth.Credential;
import dev.regctl.oci.RegistryName;
import dev.regctl.registries.RegistriesConf;
import dev.regctl.registries.RegistryEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What registries.conf does to requests, seen on the wire: blocks that hold for a registry named as
 * a whole, and mounts decided by where requests go rather than by the names typed.
 */
class RegistryRoutesTest {
    @TempDir
    Path dir;

    private final FakeRegistry registry = new FakeRegistry();
    private final MockWebServer server = new MockWebServer();
    private String host;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(registry);
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        host = "127.0.0.1:" + server.getPort();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private Session session(RegistryEntry... entries) {
        RegistriesConf conf = new RegistriesConf(List.of(entries));
        return new Session(new Session.Options(dir.resolve("docker"), false, null, Map.of(), () -> conf), List.of());
    }

    private RegistryEntry entry(String prefix, String location, boolean blocked) {
        return new RegistryEntry(prefix, location, false, blocked, List.of(), dir.resolve("registries.conf"));
    }

    @Test
    void aBlockedRegistryIsNeitherListedNorLoggedInTo() {
        RegistryName name = RegistryName.parse(host);
        try (Session session = session(entry(host, host, true))) {
            RegctlException ls = assertThrows(RegctlException.class,
                    () -> new Catalog(session).repositories(name, r -> true, 0));
            assertEquals(RegctlException.Kind.USAGE, ls.kind());
            assertEquals(host + ": blocked by " + dir.resolve("registries.conf") + " [[registry]] prefix \"" + host + "\"",
                    ls.getMessage());
            Login login = new Login(dir.resolve("docker"), Map.of());
            RegctlException in = assertThrows(RegctlException.class,
                    () -> login.login(session, name, new Credential.Basic("alice", "secret")));
            assertEquals(ls.getMessage(), in.getMessage());
        }
        assertEquals(0, server.getRequestCount(), registry.log().toString());
        assertFalse(Files.exists(dir.resolve("docker/config.json")), "no credentials stored for a blocked registry");
    }

    @Test
    void aRegistryIsUsedAsNamedWhenOnlyANamespaceOfItIsBlockedOrRemapped() {
        // As podman login and skopeo: a location rewrites images, not the registry a login is for.
        try (Session session = session(entry(host + "/secret", host + "/secret", true),
                entry(host + "/team", "127.0.0.1:9/elsewhere", false))) {
            session.registry(RegistryName.parse(host)).checkAccess("log in to " + host);
        }
        assertEquals(List.of("GET /v2/"), registry.log());
    }
}
