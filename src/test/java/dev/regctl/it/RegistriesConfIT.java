package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * registries.conf against real distribution registries: one serves as the company mirror of
 * Docker Hub (which the runs cannot reach: every non-loopback connection goes to a proxy that is
 * not there), one is blocked. Their access logs show which requests reached whom.
 */
class RegistriesConfIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPINE = "docker.io/library/alpine:3.20";

    @AutoClose
    static RegistryServer mirror;
    @AutoClose
    static RegistryServer blocked;
    /** Speaks TLS with a self-signed certificate nothing here trusts. */
    @AutoClose
    static RegistryServer selfSigned;
    @AutoClose
    static Launcher regctl;
    @TempDir
    static Path work;

    private static String alpineDigest;
    /** The CA of {@link #selfSigned}'s certificate, as PEM. */
    private static String selfSignedCa;

    @BeforeAll
    static void seed() throws IOException {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("self").build();
        HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").signedBy(ca).build();
        Path key = Files.writeString(work.resolve("self.key"), cert.privateKeyPkcs8Pem());
        Path chain = Files.writeString(work.resolve("self.crt"), cert.certificatePem() + ca.certificatePem());
        selfSigned = RegistryServer.open().tls(chain, key).start();
        selfSignedCa = ca.certificatePem();
        mirror = RegistryServer.open().start();
        blocked = RegistryServer.open().start();
        regctl = Launcher.create();
        try (Seeder seeder = Seeder.of(mirror)) {
            alpineDigest = seeder.tags("dockerhub/library/alpine", List.of("3.20")).get("3.20");
            seeder.tags("remapped/team/app", List.of("1"));
        }
        try (Seeder seeder = Seeder.of(blocked)) {
            seeder.tags("app", List.of("1"));
        }
    }

    /** Runs regctl with {@code conf} as its registries.conf and Docker Hub out of reach. */
    private static Launcher.Result run(Path conf, String... args) {
        return regctl.call(args).env("CONTAINERS_REGISTRIES_CONF", conf.toString())
                .env("HTTPS_PROXY", "http://127.0.0.1:9").env("HTTP_PROXY", "http://127.0.0.1:9").run();
    }

    private static Path conf(String name, String toml) throws IOException {
        Path dir = regctl.scratch(name);
        return Files.writeString(dir.resolve("registries.conf"), toml);
    }

    private static String hubMirror(String extra) {
        return """
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                [[registry.mirror]]
                location = "%s/dockerhub"
                %s
                """.formatted(mirror.host(), extra);
    }

    @Test
    void dockerHubImagesAreReadFromTheMirror() throws IOException {
        Path conf = conf("hub", hubMirror(""));
        long before = mirror.countRequests("GET", "/v2/dockerhub/library/alpine/manifests/3\\.20");

        Launcher.Result digest = run(conf, "digest", "-v", ALPINE);
        assertEquals(0, digest.exitCode(), digest::toString);
        assertEquals(alpineDigest, digest.stdoutText().strip());
        assertTrue(digest.stderr().contains("read from mirror " + mirror.host() + "/dockerhub/library/alpine"),
                digest::toString);
        assertTrue(mirror.countRequests("GET", "/v2/dockerhub/library/alpine/manifests/3\\.20") > before,
                mirror.log());

        Launcher.Result inspect = run(conf, "inspect", "alpine:3.20");
        assertEquals(0, inspect.exitCode(), inspect::toString);
        assertTrue(inspect.stdoutText().contains(alpineDigest), inspect::toString);

        Path out = regctl.scratch("hub-copy").resolve("layout");
        long blobsBefore = mirror.countRequests("GET", "/v2/dockerhub/library/alpine/blobs/sha256:[0-9a-f]{64}");
        Launcher.Result copy = run(conf, "copy", "-q", "-o", "json", ALPINE, "oci:" + out + ":3.20");
        assertEquals(0, copy.exitCode(), copy::toString);
        assertEquals(mirror.host() + "/dockerhub/library/alpine",
                JSON.readTree(copy.stdout()).path("images").get(0).path("readFrom").asText(), copy::toString);
        assertTrue(mirror.countRequests("GET", "/v2/dockerhub/library/alpine/blobs/sha256:[0-9a-f]{64}") > blobsBefore,
                mirror.log());
        Launcher.Result copied = run(conf, "digest", "oci:" + out + ":3.20");
        assertEquals(alpineDigest, copied.stdoutText().strip(), copied::toString);
    }

    @Test
    void aDigestOnlyMirrorLeavesTagPullsToTheUnreachablePrimary() throws IOException {
        Path conf = conf("digest-only", hubMirror("pull-from-mirror = \"digest-only\""));
        long before = mirror.requests().size();
        Launcher.Result byTag = run(conf, "digest", ALPINE);
        assertEquals(1, byTag.exitCode(), byTag::toString);
        assertTrue(byTag.stderrLines().get(0).startsWith("regctl: fetch manifest library/alpine:3.20: ")
                && byTag.stderrLines().get(0).contains("registry-1.docker.io"), byTag::toString);
        assertFalse(byTag.stderr().contains("\tat "), byTag::toString);
        assertEquals(before, mirror.requests().size(), mirror.log());

        Launcher.Result byDigest = run(conf, "digest", "docker.io/library/alpine@" + alpineDigest);
        assertEquals(0, byDigest.exitCode(), byDigest::toString);
        assertEquals(alpineDigest, byDigest.stdoutText().strip());
    }

    @Test
    void aRemappedPrefixIsReadAtItsLocation() throws IOException {
        Path conf = conf("remap", """
                [[registry]]
                prefix = "corp.example/team"
                location = "%s/remapped/team"
                """.formatted(mirror.host()));
        Launcher.Result tags = run(conf, "tags", "corp.example/team/app");
        assertEquals(0, tags.exitCode(), tags::toString);
        assertEquals(List.of("1"), tags.stdoutLines());
        Launcher.Result resolve = run(conf, "ref", "--resolve", "corp.example/team/app:1");
        assertEquals(0, resolve.exitCode(), resolve::toString);
        assertEquals(List.of("reference: corp.example/team/app:1",
                "entry: " + conf + " [[registry]] prefix \"corp.example/team\"",
                "location: " + mirror.host() + "/remapped/team/app:1",
                "blocked: false"), resolve.stdoutLines());
    }

    @Test
    void aBlockedRegistryIsRefusedBeforeAnyRequest() throws IOException {
        Path conf = conf("blocked", """
                [[registry]]
                location = "%s"
                blocked = true
                """.formatted(blocked.host()));
        long before = blocked.requests().size();
        for (String[] args : List.of(new String[] {"digest", blocked.host() + "/app:1"},
                new String[] {"copy", blocked.host() + "/app:1", "oci:" + regctl.scratch("never") + "/x:1"},
                new String[] {"tags", blocked.host() + "/app"},
                new String[] {"ratelimit", blocked.host() + "/app:1"},
                new String[] {"ls", blocked.host()},
                new String[] {"login", blocked.host(), "-u", "alice", "--password-stdin"})) {
            Launcher.Result r = regctl.call(args).env("CONTAINERS_REGISTRIES_CONF", conf.toString()).stdin("secret\n").run();
            assertEquals(2, r.exitCode(), r::toString);
            assertTrue(r.stderrLines().get(0).contains("blocked by " + conf + " [[registry]] prefix \""
                    + blocked.host() + "\""), r::toString);
            assertFalse(r.stderr().contains("\tat "), r::toString);
        }
        assertEquals(before, blocked.requests().size(), blocked.log());
        assertFalse(Files.exists(regctl.configJson()) && Files.readString(regctl.configJson()).contains(blocked.host()),
                "no credentials stored for a blocked registry");
        Launcher.Result ignored = regctl.call("digest", "--no-registries-conf", blocked.host() + "/app:1")
                .env("CONTAINERS_REGISTRIES_CONF", conf.toString()).run();
        assertEquals(0, ignored.exitCode(), ignored::toString);
    }

    @Test
    void dropInsOverrideTheMainFile() throws IOException {
        Path conf = conf("drop-ins", """
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                blocked = true
                """);
        Path dropIns = Files.createDirectories(conf.resolveSibling("registries.conf.d"));
        Files.writeString(dropIns.resolve("50-mirror.conf"), hubMirror(""));
        Launcher.Result digest = regctl.call("digest", ALPINE, "--registries-conf", conf.toString())
                .env("HTTPS_PROXY", "http://127.0.0.1:9").run();
        assertEquals(0, digest.exitCode(), digest::toString);
        assertEquals(alpineDigest, digest.stdoutText().strip());
    }

    @Test
    void insecureEntriesAndMirrorsSkipVerificationForTheirHostsAlone() throws IOException {
        Path none = conf("secure", "");
        Launcher.Result verified = run(none, "tags", selfSigned.host() + "/app");
        assertEquals(1, verified.exitCode(), verified::toString);
        assertTrue(verified.stderr().contains("is not trusted"), verified::toString);

        Path entry = conf("insecure-entry", """
                [[registry]]
                location = "%s"
                insecure = true
                """.formatted(selfSigned.host()));
        Launcher.Result unverified = run(entry, "tags", selfSigned.host() + "/app");
        assertEquals(3, unverified.exitCode(), "the registry itself answered (no such repository): " + unverified);

        Path mirrorEntry = conf("insecure-mirror", hubMirror("insecure = true").replace(mirror.host(), selfSigned.host()));
        long before = selfSigned.countRequests("GET", "/v2/dockerhub/library/alpine/manifests/3\\.20");
        Launcher.Result viaMirror = run(mirrorEntry, "digest", ALPINE);
        assertEquals(1, viaMirror.exitCode(), "the mirror lacks it, and Docker Hub is out of reach: " + viaMirror);
        assertTrue(selfSigned.countRequests("GET", "/v2/dockerhub/library/alpine/manifests/3\\.20") > before,
                selfSigned.log());
    }

    @Test
    void aMirrorIsVerifiedWithTheCaInItsOwnCertsDDirectory() throws IOException {
        // The company CA put where docker users put it, for the mirror's host: the mirror is
        // trusted by it, as the credentials of its own host are the ones it is sent.
        Path conf = conf("mirror-ca", hubMirror("").replace(mirror.host(), selfSigned.host()));
        String manifests = "/v2/dockerhub/library/alpine/manifests/3\\.20";
        try (Launcher own = Launcher.create()) {
            long before = selfSigned.countRequests("GET", manifests);
            Launcher.Result untrusted = own.call("digest", "-v", ALPINE).env("CONTAINERS_REGISTRIES_CONF", conf.toString())
                    .env("HTTPS_PROXY", "http://127.0.0.1:9").run();
            assertEquals(1, untrusted.exitCode(), untrusted::toString);
            assertTrue(untrusted.stderr().contains("mirror " + selfSigned.host() + "/dockerhub/library/alpine did not serve"),
                    untrusted::toString);
            assertEquals(before, selfSigned.countRequests("GET", manifests), "no request passed an untrusted handshake");

            Path dir = Files.createDirectories(own.dockerConfig().resolve("certs.d").resolve(selfSigned.host()));
            Files.writeString(dir.resolve("ca.crt"), selfSignedCa);
            Launcher.Result trusted = own.call("digest", ALPINE).env("CONTAINERS_REGISTRIES_CONF", conf.toString())
                    .env("HTTPS_PROXY", "http://127.0.0.1:9").run();
            assertEquals(1, trusted.exitCode(), "the mirror lacks it, and Docker Hub is out of reach: " + trusted);
            assertTrue(selfSigned.countRequests("GET", manifests) > before, selfSigned.log());
        }
    }

    @Test
    void aTomlSyntaxErrorIsNamedWithFileAndLine() throws IOException {
        Path conf = conf("syntax", """
                [[registry]]
                prefix = "docker.io"
                location = "docker.io
                """);
        Launcher.Result r = run(conf, "digest", ALPINE);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderrLines().get(0).startsWith("regctl: " + conf + ": invalid TOML at line 3"), r::toString);
        assertFalse(r.stderr().contains("\tat "), r::toString);
    }

    @Test
    void withoutAConfigurationNothingChanges() throws IOException {
        Launcher.Result r = regctl.run("ref", "--resolve", "-o", "json", mirror.host() + "/dockerhub/library/alpine:3.20");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode route = JSON.readTree(r.stdout());
        assertTrue(route.path("file").isNull(), r::toString);
        assertEquals(0, route.path("mirrors").size(), r::toString);
        assertEquals(mirror.host() + "/dockerhub/library/alpine:3.20", route.path("location").asText());
    }
}
