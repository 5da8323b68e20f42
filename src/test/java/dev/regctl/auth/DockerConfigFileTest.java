package dev.regctl.auth;

import static dev.regctl.auth.CredentialResolverTest.b64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigFileTest {
    /** A file as docker and friends leave it: settings, other logins, helpers for other hosts. */
    private static final String EXISTING = """
            {
            \t"auths": {
            \t\t"quay.io": {"auth": "%s", "email": "me@example.com"},
            \t\t"https://index.docker.io/v1/": {"auth": "%s"}
            \t},
            \t"credHelpers": {"gcr.io": "gcloud"},
            \t"HttpHeaders": {"User-Agent": "Docker-Client/24.0"},
            \t"psFormat": "table {{.ID}}",
            \t"proxies": {"default": {"httpProxy": "http://proxy:3128", "noProxy": ["localhost", "127.0.0.1"]}},
            \t"plugins": {"x": {"ratio": 1.10, "big": 12345678901234567890, "on": true, "none": null}},
            \t"currentContext": "default"
            }
            """.formatted(b64("quayuser:quaypw"), b64("hubuser:hubpw"));

    @TempDir
    Path tmp;
    Path dir;
    FakeHelpers helpers;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("dot-docker");
        helpers = new FakeHelpers(tmp.resolve("bin"));
    }

    @Test
    void storeCreatesTheDirectoryAndAnOwnerOnlyFile() throws Exception {
        file().store("localhost:5000", new Credential.Basic("alice", "pw"));
        Path config = dir.resolve("config.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(b64("alice:pw"), read().get("auths").get("localhost:5000").get("auth").asText());
    }

    @Test
    void storeKeepsEveryOtherKeyAndEntryAndTheirOrder() throws Exception {
        writeExisting();
        ObjectNode before = read();
        file().store("r.example", new Credential.Basic("alice", "pw"));
        ObjectNode after = read();

        assertEquals(names(before), names(after));
        ObjectNode expectedAuths = ((ObjectNode) before.get("auths")).deepCopy();
        expectedAuths.putObject("r.example").put("auth", b64("alice:pw"));
        assertEquals(expectedAuths, after.get("auths"));
        assertEquals(names(expectedAuths), names(after.get("auths")));
        for (String key : List.of("credHelpers", "HttpHeaders", "psFormat", "proxies", "plugins", "currentContext")) {
            assertEquals(before.get(key), after.get(key), key);
        }
        String text = Files.readString(dir.resolve("config.json"));
        assertTrue(text.contains("1.10"), "decimals are written as they were read: " + text);
        assertTrue(text.contains("12345678901234567890"), text);
    }

    @Test
    void storeReplacesAnEntryButKeepsItsNonSecretFields() throws Exception {
        writeExisting();
        file().store("quay.io", new Credential.Basic("new", "newpw"));
        JsonNode quay = read().get("auths").get("quay.io");
        assertEquals(b64("new:newpw"), quay.get("auth").asText());
        assertEquals("me@example.com", quay.get("email").asText());
    }

    @Test
    void dockerHubIsStoredUnderDockersKey() throws Exception {
        file().store("docker.io", new Credential.Basic("hubuser", "pw2"));
        assertEquals(List.of("https://index.docker.io/v1/"), names(read().get("auths")));
    }

    @Test
    void storeThenResolveThenEraseRoundTrip() throws Exception {
        writeExisting();
        DockerConfigFile config = file();
        config.store("r.example:5000", new Credential.Basic("alice", "p:w"));
        CredentialResolver resolver = new CredentialResolver(dir, Map.of());
        assertEquals(new Credential.Basic("alice", "p:w"), resolver.resolve("r.example:5000"));

        assertTrue(config.erase("r.example:5000"));
        assertEquals(new Credential.Anonymous(), resolver.resolve("r.example:5000"));
        assertFalse(config.erase("r.example:5000"));
        assertEquals(new Credential.Basic("hubuser", "hubpw"), resolver.resolve("docker.io"));
    }

    @Test
    void eraseRemovesEverySpellingOfTheRegistryAndNothingElse() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), """
                {"auths": {"r.example": {"auth": "%1$s"}, "http://r.example": {"auth": "%1$s"},
                 "https://r.example/v1/": {"auth": "%1$s"}, "other.example": {"auth": "%1$s"}}}"""
                .formatted(b64("u:p")));
        assertTrue(file().erase("r.example"));
        assertEquals(List.of("other.example"), names(read().get("auths")));
    }

    @Test
    void writesAreAtomicAndLeaveNoTemporaryFiles() throws Exception {
        writeExisting();
        Files.setPosixFilePermissions(dir.resolve("config.json"), PosixFilePermissions.fromString("rw-r--r--"));
        Object before = Files.getAttribute(dir.resolve("config.json"), "unix:ino");
        file().store("r.example", new Credential.Basic("alice", "pw"));
        // a rename, not a rewrite in place: the file is a new inode, owner-only from birth
        assertFalse(before.equals(Files.getAttribute(dir.resolve("config.json"), "unix:ino")));
        file().erase("quay.io");
        try (Stream<Path> entries = Files.list(dir)) {
            // the lock file stays: removing it would let a waiting writer lock a file no one else sees
            assertEquals(List.of(dir.resolve("config.json"), dir.resolve("config.json.lock")), entries.sorted().toList());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.json.lock"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.json"))));
    }

    @Test
    void aMalformedFileIsNeverOverwritten() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"auths\": ");
        RegctlException e = assertThrows(RegctlException.class,
                () -> file().store("r.example", new Credential.Basic("a", "b")));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("{\"auths\": ", Files.readString(dir.resolve("config.json")));
    }

    @Test
    void aSymlinkedConfigIsWrittenThroughToItsTargetAndLockedBesideIt() throws Exception {
        // Two directories linking one file must take one lock, and the link's directory gains nothing.
        Path real = tmp.resolve("dotfiles/docker-config.json");
        Files.createDirectories(real.getParent());
        Files.writeString(real, "{\"psFormat\": \"x\"}");
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve("config.json"), Path.of("../dotfiles/docker-config.json"));
        file().store("r.example", new Credential.Basic("a", "b"));
        assertTrue(Files.isSymbolicLink(dir.resolve("config.json")));
        assertEquals(b64("a:b"), Json.mapper().readTree(real.toFile()).get("auths").get("r.example").get("auth").asText());
        assertEquals("x", Json.mapper().readTree(real.toFile()).get("psFormat").asText());
        assertTrue(Files.isRegularFile(tmp.resolve("dotfiles/docker-config.json.lock"), LinkOption.NOFOLLOW_LINKS));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("config.json")), entries.toList());
        }
    }

    @Test
    void aSymlinkedLockIsRefusedAndNothingIsCreatedWhereItPoints() throws Exception {
        Path outside = tmp.resolve("outside/planted");
        Files.createDirectories(outside.getParent());
        writeExisting();
        Files.createSymbolicLink(dir.resolve("config.json.lock"), outside);
        RegctlException e = assertThrows(RegctlException.class,
                () -> file().store("r.example", new Credential.Basic("a", "top-secret-pw")));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertEquals("cannot lock " + dir.resolve("config.json.lock").toAbsolutePath()
                + ": it is a symbolic link, which regctl does not follow", e.getMessage());
        assertTrue(e.hint().contains("remove"), e.hint());
        assertFalse(Files.exists(outside, LinkOption.NOFOLLOW_LINKS));
        assertEquals(EXISTING, Files.readString(dir.resolve("config.json")));
        assertThrows(RegctlException.class, () -> file().erase("quay.io"));
        assertFalse(Files.exists(outside, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void withACredsStoreTheSecretGoesOnlyToTheHelper() throws Exception {
        helpers.add("desktop", "", "", 0);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), """
                {"credsStore": "desktop", "auths": {"https://index.docker.io/v1/": {"auth": "%s"}}}"""
                .formatted(b64("old:plaintext-pw")));
        file().store("docker.io", new Credential.Basic("hubuser", "helper-secret"));

        assertEquals("store\n", helpers.argv("desktop"));
        JsonNode sent = Json.mapper().readTree(helpers.stdin("desktop"));
        assertEquals("https://index.docker.io/v1/", sent.get("ServerURL").asText());
        assertEquals("hubuser", sent.get("Username").asText());
        assertEquals("helper-secret", sent.get("Secret").asText());
        String text = Files.readString(dir.resolve("config.json"));
        assertFalse(text.contains("helper-secret"));
        assertFalse(text.contains(b64("old:plaintext-pw")), "the plaintext login docker would replace is gone");
        assertEquals(0, read().get("auths").get("https://index.docker.io/v1/").size());
    }

    @Test
    void credHelpersForTheHostWinOverCredsStore() throws Exception {
        helpers.add("ecr-login", "", "", 0).add("desktop", "", "", 0);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), """
                {"credsStore": "desktop", "credHelpers": {"1234.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"}}""");
        file().store("1234.dkr.ecr.us-east-1.amazonaws.com", new Credential.Basic("AWS", "pw"));
        assertEquals("store\n", helpers.argv("ecr-login"));
        assertEquals("", helpers.argv("desktop"));
    }

    @Test
    void eraseGoesThroughTheHelper() throws Exception {
        helpers.add("pass", "", "", 0);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"credsStore\": \"pass\", \"auths\": {\"r.example\": {}}}");
        assertTrue(file().erase("r.example"));
        assertEquals("erase\n", helpers.argv("pass"));
        assertEquals("r.example", helpers.stdin("pass"));
        assertEquals(0, read().get("auths").size());
    }

    @Test
    void aHelperThatFailsToStoreLeavesTheFileAlone() throws Exception {
        helpers.add("pass", "", "gpg: no default secret key", 1);
        Files.createDirectories(dir);
        String original = "{\"credsStore\": \"pass\"}";
        Files.writeString(dir.resolve("config.json"), original);
        assertThrows(RegctlException.class, () -> file().store("r.example", new Credential.Basic("a", "b")));
        assertEquals(original, Files.readString(dir.resolve("config.json")));
    }

    @Test
    void concurrentLoginsAndLogoutsLoseNoEntry() throws Exception {
        writeExisting();
        int logins = 20;
        ExecutorService pool = Executors.newFixedThreadPool(logins + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < logins; i++) {
                String registry = "r" + i + ".example";
                // a fresh instance each, as separate commands would have
                done.add(pool.submit(() -> {
                    start.await();
                    file().store(registry, new Credential.Basic("user" + registry, "pw"));
                    return null;
                }));
            }
            done.add(pool.submit(() -> {
                start.await();
                return file().erase("quay.io");
            }));
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode auths = read().get("auths");
        for (int i = 0; i < logins; i++) {
            String registry = "r" + i + ".example";
            assertEquals(b64("user" + registry + ":pw"), auths.path(registry).path("auth").asText(), auths.toString());
        }
        assertFalse(auths.has("quay.io"), auths.toString());
        assertTrue(auths.has("https://index.docker.io/v1/"), auths.toString());
        assertEquals("table {{.ID}}", read().get("psFormat").asText());
    }

    private DockerConfigFile file() {
        return new DockerConfigFile(dir, helpers.env());
    }

    private void writeExisting() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), EXISTING);
    }

    private ObjectNode read() throws IOException {
        return (ObjectNode) Json.mapper().readTree(dir.resolve("config.json").toFile());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
