package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceTest {

    static final String HEX256 = "0123456789abcdef".repeat(4);
    static final String D256 = "sha256:" + HEX256;
    static final String D512 = "sha512:" + "fedcba9876543210".repeat(8);
    static final String HUB_API = "registry-1.docker.io";
    static final String TAG128 = "t".repeat(128);
    /** A repository that makes {@code docker.io/<it>} exactly 255 characters, docker's limit. */
    static final String LONGEST_PATH = "x/" + "a".repeat(243);

    /** input, registry, repository, tag, digest, toString, familiar, apiHost. */
    static Stream<Arguments> valid() {
        return Stream.of(
                // Docker Hub normalisation
                ok("redis", "docker.io", "library/redis", "latest", null,
                        "docker.io/library/redis:latest", "redis:latest", HUB_API),
                ok("redis:7.2", "docker.io", "library/redis", "7.2", null,
                        "docker.io/library/redis:7.2", "redis:7.2", HUB_API),
                ok("library/redis", "docker.io", "library/redis", "latest", null,
                        "docker.io/library/redis:latest", "redis:latest", HUB_API),
                ok("docker.io/redis", "docker.io", "library/redis", "latest", null,
                        "docker.io/library/redis:latest", "redis:latest", HUB_API),
                ok("docker.io/library/redis:alpine", "docker.io", "library/redis", "alpine", null,
                        "docker.io/library/redis:alpine", "redis:alpine", HUB_API),
                ok("index.docker.io/x/y", "docker.io", "x/y", "latest", null,
                        "docker.io/x/y:latest", "x/y:latest", HUB_API),
                ok("index.docker.io/redis", "docker.io", "library/redis", "latest", null,
                        "docker.io/library/redis:latest", "redis:latest", HUB_API),
                ok("registry-1.docker.io/library/z", "docker.io", "library/z", "latest", null,
                        "docker.io/library/z:latest", "z:latest", HUB_API),
                ok("user/app:v1", "docker.io", "user/app", "v1", null,
                        "docker.io/user/app:v1", "user/app:v1", HUB_API),
                ok("library/foo/bar", "docker.io", "library/foo/bar", "latest", null,
                        "docker.io/library/foo/bar:latest", "library/foo/bar:latest", HUB_API),
                ok("docker://redis", "docker.io", "library/redis", "latest", null,
                        "docker.io/library/redis:latest", "redis:latest", HUB_API),
                ok("redis@" + D256, "docker.io", "library/redis", null, D256,
                        "docker.io/library/redis@" + D256, "redis@" + D256, HUB_API),
                ok("redis:7@" + D256, "docker.io", "library/redis", "7", D256,
                        "docker.io/library/redis:7@" + D256, "redis:7@" + D256, HUB_API),
                ok("docker.io/library/redis@" + D512, "docker.io", "library/redis", null, D512,
                        "docker.io/library/redis@" + D512, "redis@" + D512, HUB_API),
                // docker's own gotcha, "localhost:5000" as Hub image localhost with tag 5000, is refused (see
                // invalid()); written in full it is that image, and its short form keeps docker.io to stay so
                ok("docker.io/library/localhost:5000", "docker.io", "library/localhost", "5000", null,
                        "docker.io/library/localhost:5000", "docker.io/library/localhost:5000", HUB_API),
                ok("localhost", "docker.io", "library/localhost", "latest", null,
                        "docker.io/library/localhost:latest", "docker.io/library/localhost:latest", HUB_API),
                // another tool's transport name is a Hub image when docker's grammar says so
                ok("dir:v1", "docker.io", "library/dir", "v1", null,
                        "docker.io/library/dir:v1", "dir:v1", HUB_API),
                // localhost and upper-case first components are registries
                ok("localhost/app", "localhost", "app", "latest", null,
                        "localhost/app:latest", "localhost/app:latest", "localhost"),
                ok("localhost:5000/app:v1", "localhost:5000", "app", "v1", null,
                        "localhost:5000/app:v1", "localhost:5000/app:v1", "localhost:5000"),
                ok("localhost:5000/a/b/c:t@" + D256, "localhost:5000", "a/b/c", "t", D256,
                        "localhost:5000/a/b/c:t@" + D256, "localhost:5000/a/b/c:t@" + D256, "localhost:5000"),
                ok("Myregistry/app", "Myregistry", "app", "latest", null,
                        "Myregistry/app:latest", "Myregistry/app:latest", "Myregistry"),
                ok("MYREG:5000/team/app:v1", "MYREG:5000", "team/app", "v1", null,
                        "MYREG:5000/team/app:v1", "MYREG:5000/team/app:v1", "MYREG:5000"),
                // IPv6
                ok("[::1]:5000/app:v1", "[::1]:5000", "app", "v1", null,
                        "[::1]:5000/app:v1", "[::1]:5000/app:v1", "[::1]:5000"),
                ok("[::1]/app", "[::1]", "app", "latest", null,
                        "[::1]/app:latest", "[::1]/app:latest", "[::1]"),
                ok("[2001:db8::1]:443/ns/app@" + D256, "[2001:db8::1]:443", "ns/app", null, D256,
                        "[2001:db8::1]:443/ns/app@" + D256, "[2001:db8::1]:443/ns/app@" + D256, "[2001:db8::1]:443"),
                ok("[FE80::1]:5000/app", "[FE80::1]:5000", "app", "latest", null,
                        "[FE80::1]:5000/app:latest", "[FE80::1]:5000/app:latest", "[FE80::1]:5000"),
                // dotted hosts, ports, digests
                ok("ghcr.io/owner/repo", "ghcr.io", "owner/repo", "latest", null,
                        "ghcr.io/owner/repo:latest", "ghcr.io/owner/repo:latest", "ghcr.io"),
                ok("quay.io/coreos/etcd:v3.5.0", "quay.io", "coreos/etcd", "v3.5.0", null,
                        "quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd:v3.5.0", "quay.io"),
                ok("registry.example.com:8443/team/app@" + D256, "registry.example.com:8443", "team/app", null, D256,
                        "registry.example.com:8443/team/app@" + D256, "registry.example.com:8443/team/app@" + D256,
                        "registry.example.com:8443"),
                ok("127.0.0.1:5000/app:v1", "127.0.0.1:5000", "app", "v1", null,
                        "127.0.0.1:5000/app:v1", "127.0.0.1:5000/app:v1", "127.0.0.1:5000"),
                ok("192.168.1.10/app", "192.168.1.10", "app", "latest", null,
                        "192.168.1.10/app:latest", "192.168.1.10/app:latest", "192.168.1.10"),
                ok("my-registry.example.com/a/b/c/d:1.0", "my-registry.example.com", "a/b/c/d", "1.0", null,
                        "my-registry.example.com/a/b/c/d:1.0", "my-registry.example.com/a/b/c/d:1.0",
                        "my-registry.example.com"),
                ok("gcr.io/distroless/static-debian12:nonroot", "gcr.io", "distroless/static-debian12", "nonroot", null,
                        "gcr.io/distroless/static-debian12:nonroot", "gcr.io/distroless/static-debian12:nonroot", "gcr.io"),
                ok("public.ecr.aws/docker/library/alpine:3.19", "public.ecr.aws", "docker/library/alpine", "3.19", null,
                        "public.ecr.aws/docker/library/alpine:3.19", "public.ecr.aws/docker/library/alpine:3.19",
                        "public.ecr.aws"),
                ok("foo.bar/baz", "foo.bar", "baz", "latest", null,
                        "foo.bar/baz:latest", "foo.bar/baz:latest", "foo.bar"),
                ok("ghcr.io/o/r:v1@" + D512, "ghcr.io", "o/r", "v1", D512,
                        "ghcr.io/o/r:v1@" + D512, "ghcr.io/o/r:v1@" + D512, "ghcr.io"),
                ok("docker://ghcr.io/o/r:t@" + D256, "ghcr.io", "o/r", "t", D256,
                        "ghcr.io/o/r:t@" + D256, "ghcr.io/o/r:t@" + D256, "ghcr.io"),
                // path component grammar
                ok("a__b/c_d/e.f/g-h---i:x", "docker.io", "a__b/c_d/e.f/g-h---i", "x", null,
                        "docker.io/a__b/c_d/e.f/g-h---i:x", "a__b/c_d/e.f/g-h---i:x", HUB_API),
                ok("a0/1b", "docker.io", "a0/1b", "latest", null,
                        "docker.io/a0/1b:latest", "a0/1b:latest", HUB_API),
                // familiar keeps docker.io where dropping it would turn the first component into a host
                ok("docker.io/foo.bar/baz", "docker.io", "foo.bar/baz", "latest", null,
                        "docker.io/foo.bar/baz:latest", "docker.io/foo.bar/baz:latest", HUB_API),
                ok("docker.io/localhost/app", "docker.io", "localhost/app", "latest", null,
                        "docker.io/localhost/app:latest", "docker.io/localhost/app:latest", HUB_API),
                ok("docker.io/foo.bar", "docker.io", "library/foo.bar", "latest", null,
                        "docker.io/library/foo.bar:latest", "docker.io/library/foo.bar:latest", HUB_API),
                ok("docker.io/foo.bar:5000", "docker.io", "library/foo.bar", "5000", null,
                        "docker.io/library/foo.bar:5000", "docker.io/library/foo.bar:5000", HUB_API),
                // tags
                ok("app:Latest_1.0-rc", "docker.io", "library/app", "Latest_1.0-rc", null,
                        "docker.io/library/app:Latest_1.0-rc", "app:Latest_1.0-rc", HUB_API),
                ok("app:_x", "docker.io", "library/app", "_x", null,
                        "docker.io/library/app:_x", "app:_x", HUB_API),
                ok("app:" + TAG128, "docker.io", "library/app", TAG128, null,
                        "docker.io/library/app:" + TAG128, "app:" + TAG128, HUB_API),
                // limits: docker only refuses a bare 64-hex string, and counts the registry in 255
                ok(HEX256 + ":v1", "docker.io", "library/" + HEX256, "v1", null,
                        "docker.io/library/" + HEX256 + ":v1", HEX256 + ":v1", HUB_API),
                ok(HEX256.substring(1), "docker.io", "library/" + HEX256.substring(1), "latest", null,
                        "docker.io/library/" + HEX256.substring(1) + ":latest", HEX256.substring(1) + ":latest", HUB_API),
                ok(LONGEST_PATH, "docker.io", LONGEST_PATH, "latest", null,
                        "docker.io/" + LONGEST_PATH + ":latest", LONGEST_PATH + ":latest", HUB_API));
    }

    private static Arguments ok(String input, String registry, String repository, String tag, String digest,
            String string, String familiar, String apiHost) {
        return Arguments.of(input, registry, repository, tag, digest, string, familiar, apiHost);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parses(String input, String registry, String repository, String tag, String digest,
            String string, String familiar, String apiHost) {
        Reference r = Reference.parse(input);
        assertAll(
                () -> assertEquals(registry, r.registry(), "registry"),
                () -> assertEquals(repository, r.repository(), "repository"),
                () -> assertEquals(tag, r.effectiveTag(), "tag"),
                () -> assertEquals(digest, r.digest() == null ? null : r.digest().toString(), "digest"),
                () -> assertEquals(string, r.toString(), "toString"),
                () -> assertEquals(familiar, r.familiar(), "familiar"),
                () -> assertEquals(familiar, r.familiarName() + (tag == null ? "" : ":" + tag)
                        + (digest == null ? "" : "@" + digest), "familiarName is familiar without tag and digest"),
                () -> assertEquals(apiHost, r.apiHost(), "apiHost"),
                () -> assertEquals(registry + "/" + repository, r.name(), "name"),
                () -> assertEquals(digest != null ? digest : tag, r.reference(), "reference"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void bothPrintedFormsParseBackToTheSameReference(String input) {
        Reference r = Reference.parse(input);
        // Printed forms always carry the tag, even one only implied: compare what they name.
        assertEquals(r.toString(), Reference.parse(r.toString()).toString(), "toString");
        assertEquals(r.toString(), Reference.parse(r.familiar()).toString(), "familiar");
        assertEquals(r.toString(), Reference.parse("docker://" + r).toString(), "docker:// prefix");
    }

    @Test
    void atLeastFortyValidCases() {
        assertTrue(valid().count() >= 40);
    }

    /** input, text the message must contain after {@code invalid reference "<input>": }. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("", "empty reference"),
                bad("docker://", "empty reference"),
                bad("redis/", "repository name \"redis/\" ends with \"/\""),
                bad("ghcr.io/app/", "repository name \"app/\" ends with \"/\""),
                bad("a//b", "repository name \"a//b\" contains \"//\""),
                bad("ghcr.io//app", "repository name \"/app\" starts with \"/\""),
                bad("/app", "repository name \"/app\" starts with \"/\""),
                bad("foo/Bar:x", "repository name \"foo/Bar\" must be lowercase"),
                bad("Redis", "repository name \"Redis\" must be lowercase"),
                bad("docker.io/Library/redis", "repository name \"Library/redis\" must be lowercase"),
                bad("app:tag:x", "invalid tag \"tag:x\""),
                bad("app:t$g", "invalid tag \"t$g\""),
                bad("app:-x", "invalid tag \"-x\""),
                bad("app:.x", "invalid tag \".x\""),
                bad("app:" + "t".repeat(129), "is 129 characters long; at most 128"),
                bad("app:", "empty tag after \":\""),
                bad("ghcr.io/o/app:@" + D256, "empty tag after \":\""),
                bad("app@", "empty digest after \"@\""),
                bad("app:v1@", "empty digest after \"@\""),
                bad("app@sha256:abc", "invalid sha256 digest \"abc\""),
                bad("app@sha256:" + HEX256.substring(1), "expected 64 lower-case hex characters"),
                bad("app@sha256:" + HEX256.toUpperCase(), "invalid sha256 digest"),
                bad("app@sha512:" + HEX256, "expected 128 lower-case hex characters"),
                bad("app@md5:" + HEX256.substring(32), "unsupported digest algorithm \"md5\""),
                bad("app@deadbeef", "invalid digest \"deadbeef\""),
                bad("app@" + D256 + "@" + D256, "invalid sha256 digest"),
                bad(HEX256, "look like an image ID"),
                bad("docker://" + HEX256, "look like an image ID"),
                bad("x/" + "a".repeat(244), "is 256 characters long; at most 255"),
                bad("a".repeat(240), "is 258 characters long; at most 255"),
                bad("-app", "invalid repository name component \"-app\""),
                bad("ghcr.io/o/-app", "invalid repository name component \"-app\" in \"o/-app\""),
                bad("app-", "invalid repository name component \"app-\""),
                bad("a..b", "invalid repository name component \"a..b\""),
                bad("a___b", "invalid repository name component \"a___b\""),
                bad("r\u00e9dis", "invalid repository name component"),
                bad("my_reg.io/app", "invalid registry host \"my_reg.io\""),
                bad("-reg.io/app", "invalid registry host \"-reg.io\""),
                bad("localhost:abc/app", "invalid port \"abc\""),
                bad("localhost:/app", "invalid port \"\""),
                bad("[fe80::1%eth0]:5000/app", "invalid registry host \"[fe80::1%eth0]\""),
                bad("[::1]:5000", "registry \"[::1]:5000\" has no repository"),
                // a registry where an image belongs, which docker would read as a Hub image
                bad("127.0.0.1:5000", "\"127.0.0.1:5000\" is a registry, not an image (docker would read it as"
                        + " Docker Hub's library/127.0.0.1 with tag 5000); name a repository on it: 127.0.0.1:5000/REPO[:TAG]"),
                bad("localhost:5000", "name a repository on it: localhost:5000/REPO[:TAG]"),
                bad("docker://localhost:5000", "name a repository on it: localhost:5000/REPO[:TAG]"),
                bad("registry.example.com:443", "name a repository on it: registry.example.com:443/REPO[:TAG]"),
                bad("localhost:5000@" + D256, "name a repository on it: localhost:5000/REPO[:TAG]"),
                // URLs and other tools' transports
                bad("http://host/app:v1", "a reference takes no URL scheme; write host/app:v1"),
                bad("HTTPS://ghcr.io/o/app", "a reference takes no URL scheme; write ghcr.io/o/app"),
                bad("docker://http://127.0.0.1:5000/app", "a reference takes no URL scheme; write 127.0.0.1:5000/app"),
                bad("ftp://ghcr.io/o/app", "unsupported scheme \"ftp://\"; expected [docker://]HOST[:PORT]/NAME[:TAG],"
                        + " oci:DIR, oci-archive:FILE or docker-archive:FILE"),
                bad("containers-storage:localhost/app", "containers-storage: is a transport of skopeo and podman"
                        + " (the local image store of podman and buildah), which regctl does not read"),
                bad("docker-daemon:app:latest", "docker-daemon: is a transport of skopeo and podman"),
                bad("dir:/tmp/app", "dir: is a transport of skopeo and podman (skopeo's directory of loose files)"),
                bad("dir:", "dir: is a transport of skopeo and podman"),
                bad("sif:/tmp/app.sif", "sif: is a transport of skopeo and podman"),
                bad("docker-daemon:app latest", "space or control character at position 18"),
                bad("localhost/", "missing repository name after registry \"localhost\""),
                bad("ghcr.io/:v1", "missing repository name after registry \"ghcr.io\""),
                bad(":latest", "missing repository name"),
                bad("@" + D256, "missing repository name"),
                bad("redis latest", "space or control character at position 6"),
                bad("docker://redis\tx", "space or control character at position 15"),
                bad("redis\nmalicious", "space or control character at position 6"));
    }

    private static Arguments bad(String input, String expected) {
        return Arguments.of(input, expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejects(String input, String expected) {
        RegctlException e = assertThrows(RegctlException.class, () -> Reference.parse(input));
        String message = e.getMessage();
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(message.startsWith("invalid reference " + DockerGrammar.quote(input) + ": "), message);
        assertTrue(message.contains(expected), message);
        assertFalse(message.contains("\n") || message.contains("\r") || message.contains("\t"), message);
    }

    @Test
    void urlsAndOtherToolsTransportsGetAHintSayingWhatToDo() {
        assertEquals("docker save -o image.tar app:latest, then use docker-archive:image.tar",
                hint("docker-daemon:app:latest"));
        assertEquals("podman save -o image.tar localhost/app, then use docker-archive:image.tar",
                hint("containers-storage:localhost/app"));
        assertEquals("skopeo copy dir:/tmp/app oci:layout, then use oci:layout", hint("dir:/tmp/app"));
        assertTrue(hint("http://registry.lan/app:v1").contains("add --insecure"), hint("http://registry.lan/app:v1"));
    }

    private static String hint(String input) {
        return assertThrows(RegctlException.class, () -> Reference.parse(input)).hint();
    }

    @Test
    void nullIsAnEmptyReference() {
        RegctlException e = assertThrows(RegctlException.class, () -> Reference.parse(null));
        assertEquals("invalid reference \"\": empty reference; expected [HOST[:PORT]/]NAME[:TAG][@DIGEST]",
                e.getMessage());
    }

    @Test
    void constructorNormalisesLikeParse() {
        assertEquals(Reference.parse("redis"), new Reference("index.docker.io", "redis", null, null));
        assertEquals(Reference.parse("redis:latest"), new Reference("index.docker.io", "redis", "latest", null));
        assertEquals(Reference.parse("registry-1.docker.io/x/y:v1"), new Reference("docker.io", "x/y", "v1", null));
    }

    @Test
    void constructorValidatesParts() {
        assertThrows(RegctlException.class, () -> new Reference("ghcr.io", "Upper", "v1", null));
        assertThrows(RegctlException.class, () -> new Reference("ghcr.io", "app", "bad tag", null));
        assertThrows(RegctlException.class, () -> new Reference("bad host", "app", "v1", null));
        assertThrows(RegctlException.class, () -> new Reference(null, "app", "v1", null));
        assertThrows(RegctlException.class, () -> new Reference("ghcr.io", null, "v1", null));
        assertEquals("latest", new Reference("ghcr.io", "app", null, null).reference(), "neither: docker's default");
    }

    @Test
    void withTagAndWithDigestReplaceOnlyTheirPart() {
        Digest digest = Digest.parse(D256);
        Reference tagged = Reference.parse("ghcr.io/o/app:v1");

        Reference pinned = tagged.withDigest(digest);
        assertEquals("ghcr.io/o/app:v1@" + D256, pinned.toString());
        assertEquals(D256, pinned.reference());

        assertEquals("ghcr.io/o/app:v2@" + D256, pinned.withTag("v2").toString());
        assertEquals("ghcr.io/o/app:v2", pinned.withDigest(null).withTag("v2").toString());
        assertEquals("ghcr.io/o/app@" + D256, pinned.withTag(null).toString());

        Reference byDigest = Reference.parse("ghcr.io/o/app@" + D256);
        assertEquals("ghcr.io/o/app:latest", byDigest.withDigest(null).toString(), "neither given: latest, as parsed");
        assertThrows(RegctlException.class, () -> tagged.withTag("no good"));
    }

    @Test
    void referenceIsTheDigestWhenPresentElseTheTag() {
        assertEquals("latest", Reference.parse("redis").reference());
        assertNull(Reference.parse("redis").tag(), "no tag was given");
        assertEquals("7", Reference.parse("redis:7").reference());
        assertEquals(D256, Reference.parse("redis:7@" + D256).reference());
        assertNull(Reference.parse("redis@" + D256).tag());
    }

    @Test
    void registryNameCarriesDockerHubConfigKey() {
        assertEquals("https://index.docker.io/v1/", Reference.parse("redis").registryName().configKey());
        assertEquals("localhost:5000", Reference.parse("localhost:5000/app").registryName().configKey());
    }
}
