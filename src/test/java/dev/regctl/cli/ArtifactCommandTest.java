package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.FakeRegistry;
import dev.regctl.ops.Images;
import dev.regctl.ops.artifact.ArtifactManifest;
import dev.regctl.store.ocidir.OciLayoutStore;
import dev.regctl.testing.ImageParts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** artifact push|attach|pull through the CLI, on layouts and a lying loopback registry: output, refusals, exit codes. */
class ArtifactCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;
    private Path files;

    @BeforeEach
    void files() throws IOException {
        config = Files.createDirectories(dir.resolve("docker-config"));
        files = Files.createDirectories(dir.resolve("files"));
        Files.writeString(files.resolve("a.txt"), "alpha\n");
        Files.writeString(files.resolve("sbom.json"), "{\"spdxVersion\":\"SPDX-2.3\"}");
        Files.createDirectories(files.resolve("site/css"));
        Files.writeString(files.resolve("site/index.html"), "<p>hi</p>");
        Files.writeString(files.resolve("site/css/a.css"), "p{}");
    }

    private InProcessRun run(String... args) {
        return InProcessRun.of(config, args);
    }

    private String layout(String tag) {
        return "oci:" + dir.resolve("layout") + (tag == null ? "" : ":" + tag);
    }

    @Test
    void pushedFilesAndADirectoryComeBackByteIdentical() throws IOException {
        InProcessRun push = run("-o", "json", "artifact", "push", layout("v1"), files.resolve("a.txt").toString(),
                files.resolve("sbom.json") + ":application/spdx+json", files.resolve("site").toString());
        assertEquals(ExitCodes.OK, push.exit(), push.err());
        JsonNode pushed = JSON.readTree(push.out());
        assertEquals(List.of("reference", "digest", "mediaType", "size", "artifactType", "subject", "layers",
                "referrersIndex", "dryRun"), names(pushed));
        assertEquals(List.of("title", "mediaType", "digest", "size", "unpack"), names(pushed.get("layers").get(0)));
        assertEquals("application/spdx+json", pushed.get("layers").get(1).get("mediaType").asText());
        assertTrue(pushed.get("layers").get(2).get("unpack").asBoolean());

        Path out = dir.resolve("out");
        InProcessRun pull = run("artifact", "pull", layout("v1"), "--dir", out.toString());
        assertEquals(ExitCodes.OK, pull.exit(), pull.err());
        assertEquals(List.of(out.resolve("a.txt").toString(), out.resolve("sbom.json").toString(), out.resolve("site").toString()),
                pull.out().lines().toList());
        for (String f : List.of("a.txt", "sbom.json", "site/index.html", "site/css/a.css")) {
            assertArrayEquals(Files.readAllBytes(files.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        assertEquals(List.of("a.txt", "sbom.json", "site"), listing(out), "no temporary file is left");

        JsonNode again = JSON.readTree(run("-o", "json", "artifact", "pull", layout("v1"), "--dir", out.toString(), "--overwrite").out());
        assertEquals(List.of("reference", "digest", "artifactType", "dir", "files"), names(again));
        assertEquals(List.of("title", "path", "digest", "size", "unpacked"), names(again.get("files").get(0)));
        assertEquals(pushed.get("digest"), again.get("digest"));
    }

    /** A layout holds many images and gives none a default tag: the artifact is an untagged entry, found by the digest printed. */
    @Test
    void anArtifactPushedIntoALayoutWithoutTagIsFoundByItsDigest() throws IOException {
        InProcessRun push = run("artifact", "push", layout(null), files.resolve("a.txt").toString());
        assertEquals(ExitCodes.OK, push.exit(), push.err());
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"))) {
            assertEquals(List.of(), store.listTags());
        }

        Path out = dir.resolve("out");
        InProcessRun pull = run("artifact", "pull", layout(null) + "@" + push.out().strip(), "--dir", out.toString());
        assertEquals(ExitCodes.OK, pull.exit(), pull.err());
        assertEquals("alpha\n", Files.readString(out.resolve("a.txt")));
    }

    @Test
    void theSameDirectoryPushedTwiceGivesTheSameLayer() throws IOException {
        JsonNode one = JSON.readTree(run("-o", "json", "artifact", "push", "--dry-run", layout("v1"), files.resolve("site").toString()).out());
        Files.setLastModifiedTime(files.resolve("site/index.html"), java.nio.file.attribute.FileTime.fromMillis(12345));
        JsonNode two = JSON.readTree(run("-o", "json", "artifact", "push", "--dry-run", layout("v1"), files.resolve("site").toString()).out());
        assertEquals(one.get("layers"), two.get("layers"));
        assertTrue(two.get("dryRun").asBoolean());
        assertFalse(Files.exists(dir.resolve("layout")), "a dry run writes nothing");
    }

    @Test
    void anExistingFileIsReplacedOnlyWithOverwrite() throws IOException {
        assertEquals(ExitCodes.OK, run("artifact", "push", layout("v1"), files.resolve("a.txt").toString()).exit());
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("a.txt"), "mine");
        InProcessRun refused = run("artifact", "pull", layout("v1"), "--dir", out.toString());
        assertEquals(ExitCodes.USAGE, refused.exit(), refused.err());
        assertEquals("mine", Files.readString(out.resolve("a.txt")));
        assertEquals(ExitCodes.OK, run("artifact", "pull", layout("v1"), "--dir", out.toString(), "--overwrite").exit());
        assertEquals("alpha\n", Files.readString(out.resolve("a.txt")));
    }

    @Test
    void aHostileTitleIsExitOneNamingTheLayerAndNothingIsWritten() throws IOException {
        OciLayoutStore store = OciLayoutStore.create(dir.resolve("layout"));
        byte[] bytes = "owned".getBytes(StandardCharsets.UTF_8);
        Descriptor blob = new Descriptor(MediaTypes.OCI_LAYER_TAR, Digest.sha256(bytes), bytes.length);
        store.putBlob(blob, new ByteArrayInputStream(bytes));
        store.putBlob(ArtifactManifest.EMPTY_CONFIG, new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)));
        Descriptor fine = titled(blob, "fine.txt");
        Descriptor hostile = titled(blob, "../escaped.txt");
        store.putManifest(ArtifactManifest.build("application/x", Map.of(), List.of(fine, hostile), null, Map.of()), "evil");

        Path out = Files.createDirectories(dir.resolve("sandbox").resolve("out"));
        InProcessRun r = run("artifact", "pull", layout("evil"), "--dir", out.toString());

        assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("regctl: artifact pull " + layout("evil") + ": layer 2 \"../escaped.txt\""), r.err());
        assertEquals(List.of(), listing(out));
        assertEquals(List.of("out"), listing(out.getParent()));
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsDigestIsExitOneAndLeavesNoFile() throws IOException {
        try (ContentRegistry registry = new ContentRegistry()) {
            Descriptor lying = registry.lyingBlob(MediaTypes.OCI_LAYER_TAR, "the real report".getBytes(StandardCharsets.UTF_8),
                    "a forged report".getBytes(StandardCharsets.UTF_8));
            registry.manifest(ArtifactManifest.build("application/x", Map.of(), List.of(titled(lying, "report.txt")), null, Map.of()), "v1");
            Path out = Files.createDirectories(dir.resolve("out"));

            InProcessRun r = run("artifact", "pull", registry.repository() + ":v1", "--dir", out.toString());

            assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
            assertTrue(r.err().startsWith("regctl: artifact pull " + registry.repository() + ":v1: layer 1 \"report.txt\""), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertEquals(List.of(), listing(out), "neither the file nor a temporary file stays");
        }
    }

    @Test
    void aDirectoryLayerCorruptHalfWayIsExitOneAndLeavesNoUnpackDirectory() throws IOException {
        byte[] noise = new byte[512 * 1024];
        new java.util.Random(7).nextBytes(noise);
        Files.write(files.resolve("site/noise.bin"), noise);
        assertEquals(ExitCodes.OK, run("artifact", "push", layout("v1"), files.resolve("site").toString()).exit());
        OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"));
        Descriptor good = store.fetchManifest("v1").manifest().layers().get(0);
        byte[] bytes;
        try (var in = store.openBlob(good)) {
            bytes = in.readAllBytes();
        }
        // The first entries unpack; the stream breaks in the noise, and its gzip trailer no longer matches.
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
            bytes[i] ^= (byte) 0x5a;
        }
        Descriptor broken = new Descriptor(good.mediaType(), Digest.sha256(bytes), bytes.length, null, null, good.annotations(), null);
        store.putBlob(broken, new ByteArrayInputStream(bytes));
        store.putManifest(ArtifactManifest.build("application/x", Map.of(), List.of(broken), null, Map.of()), "broken");
        Path out = Files.createDirectories(dir.resolve("out"));

        InProcessRun r = run("artifact", "pull", layout("broken"), "--dir", out.toString());

        assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("regctl: artifact pull " + layout("broken") + ": layer 1 \"site\""), r.err());
        assertEquals(List.of(), listing(out), "neither the directory nor its hidden unpack directory stays");
    }

    @Test
    void attachListsTheArtifactAsAReferrerAndPullFindsTheNewestOfItsType() throws IOException {
        assertEquals(ExitCodes.OK, run("artifact", "push", layout("app"), files.resolve("a.txt").toString()).exit());
        InProcessRun first = run("artifact", "attach", layout("app"), files.resolve("sbom.json").toString(),
                "--artifact-type", "application/spdx+json", "--annotation", ArtifactManifest.CREATED + "=2026-01-01T00:00:00Z");
        assertEquals(ExitCodes.OK, first.exit(), first.err());
        Files.writeString(files.resolve("sbom.json"), "{\"spdxVersion\":\"SPDX-2.3\",\"newer\":true}");
        InProcessRun second = run("-o", "json", "artifact", "attach", layout("app"), files.resolve("sbom.json").toString(),
                "--artifact-type", "application/spdx+json", "--annotation", ArtifactManifest.CREATED + "=2026-06-01T00:00:00Z");
        assertEquals(ExitCodes.OK, second.exit(), second.err());
        JsonNode attached = JSON.readTree(second.out());
        assertEquals(layout(null) + "@" + attached.get("digest").asText(), attached.get("reference").asText());

        InProcessRun referrers = run("referrers", layout("app"));
        assertTrue(referrers.out().contains(first.out().strip()), referrers.out());
        assertTrue(referrers.out().contains(attached.get("digest").asText()), referrers.out());

        Path out = dir.resolve("out");
        InProcessRun pull = run("artifact", "pull", layout("app"), "--artifact-type", "application/spdx+json", "--dir", out.toString());
        assertEquals(ExitCodes.OK, pull.exit(), pull.err());
        assertTrue(Files.readString(out.resolve("sbom.json")).contains("newer"), "the newest SBOM");

        InProcessRun none = run("artifact", "pull", layout("app"), "--artifact-type", "application/vnd.none", "--dir", out.toString());
        assertEquals(ExitCodes.NOT_FOUND, none.exit(), none.err());
    }

    /** The sha256-<hex> index is the fallback: a registry whose referrers API lists the artifact gets no such tag. */
    @Test
    void attachToARegistryWithTheReferrersApiWritesNoFallbackIndex() throws IOException {
        FakeRegistry registry = new FakeRegistry();
        Images.Image image = registry.serve("app", "v1", "linux/amd64", ImageParts.random(64, 5));
        MockWebServer server = new MockWebServer();
        server.setDispatcher(registry);
        server.start(InetAddress.getLoopbackAddress(), 0);
        try (server) {
            String subject = "127.0.0.1:" + server.getPort() + "/app:v1";
            String[] attach = {"-o", "json", "artifact", "attach", subject, files.resolve("sbom.json").toString(),
                "--artifact-type", "application/spdx+json", "--annotation", ArtifactManifest.CREATED + "=2026-01-01T00:00:00Z"};
            String[] dryRun = java.util.Arrays.copyOf(attach, attach.length + 1);
            dryRun[attach.length] = "--dry-run";
            String digest = JSON.readTree(run(dryRun).out()).get("digest").asText();
            // The registry's referrers API, listing what the attach is about to push.
            registry.fault("GET", "/v2/app/referrers/" + image.digest() + ".*", Integer.MAX_VALUE, r -> new MockResponse()
                    .setHeader("Content-Type", MediaTypes.OCI_INDEX).setBody("{\"schemaVersion\":2,\"mediaType\":\""
                            + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                            + "\",\"digest\":\"" + digest + "\",\"size\":1,\"artifactType\":\"application/spdx+json\"}]}"));

            InProcessRun r = run(attach);

            assertEquals(ExitCodes.OK, r.exit(), r.err());
            JsonNode result = JSON.readTree(r.out());
            assertEquals(digest, result.get("digest").asText());
            assertTrue(result.get("referrersIndex").isNull(), r.out());
            assertEquals(0, registry.count("PUT", "/v2/app/manifests/sha256-.*"), registry.log().toString());
            assertEquals(1, registry.count("PUT", "/v2/app/manifests/" + digest), registry.log().toString());
        }
    }

    @Test
    void badUsageIsExitTwoBeforeAnythingIsWritten() {
        InProcessRun noType = run("artifact", "attach", layout("app"), files.resolve("a.txt").toString());
        assertEquals(ExitCodes.USAGE, noType.exit(), noType.err());
        assertTrue(noType.err().contains("--artifact-type"), noType.err());

        InProcessRun archive = run("artifact", "push", "oci-archive:" + dir.resolve("x.tar") + ":v1", files.resolve("a.txt").toString());
        assertEquals(ExitCodes.USAGE, archive.exit(), archive.err());

        InProcessRun byDigest = run("artifact", "push", layout(null) + "@" + Digest.sha256(new byte[1]), files.resolve("a.txt").toString());
        assertEquals(ExitCodes.USAGE, byDigest.exit(), byDigest.err());

        InProcessRun missing = run("artifact", "push", layout("v1"), files.resolve("absent.txt").toString());
        assertEquals(ExitCodes.USAGE, missing.exit(), missing.err());
        assertTrue(missing.err().contains("no such file"), missing.err());

        InProcessRun twice = run("artifact", "push", layout("v1"), files.resolve("a.txt").toString(), files.resolve("site/../a.txt").toString());
        assertEquals(ExitCodes.USAGE, twice.exit(), twice.err());
        assertFalse(Files.exists(dir.resolve("layout")));
    }

    @Test
    void theAnnotationFileAnnotatesTheManifestConfigAndLayersAsOrasReadsIt() throws IOException {
        Path notes = Files.writeString(dir.resolve("annotations.json"),
                "{\"$manifest\": {\"org.example.build\": \"42\"}, \"$config\": {\"org.example.c\": \"x\"},"
                        + " \"a.txt\": {\"org.example.kind\": \"notes\"}}");
        InProcessRun push = run("artifact", "push", layout("v1"), files.resolve("a.txt").toString(),
                "--annotation-file", notes.toString(), "--annotation", "org.example.build=43");
        assertEquals(ExitCodes.OK, push.exit(), push.err());
        JsonNode m;
        try (OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"))) {
            m = JSON.readTree(store.fetchManifest("v1").bytes());
        }
        assertEquals("43", m.at("/annotations/org.example.build").asText(), "the command line wins");
        assertEquals("x", m.at("/config/annotations/org.example.c").asText());
        assertEquals("notes", m.at("/layers/0/annotations/org.example.kind").asText());
        assertEquals("a.txt", m.at("/layers/0/annotations/org.opencontainers.image.title").asText());

        Path stray = Files.writeString(dir.resolve("stray.json"), "{\"b.txt\": {\"k\": \"v\"}}");
        InProcessRun refused = run("artifact", "push", layout("v2"), files.resolve("a.txt").toString(), "--annotation-file", stray.toString());
        assertEquals(ExitCodes.USAGE, refused.exit(), refused.err());
        assertTrue(refused.err().contains("\"b.txt\", which is no file of this artifact"), refused.err());
    }

    @Test
    void aDirectoryMayBeNamedThroughALinkButALinkInsideItIsRefused() throws IOException {
        Path linked = Files.createSymbolicLink(dir.resolve("linked-site"), files.resolve("site"));
        InProcessRun ok = run("-o", "json", "artifact", "push", "--dry-run", layout("v1"), linked.toString());
        assertEquals(ExitCodes.OK, ok.exit(), ok.err());
        assertEquals("linked-site", JSON.readTree(ok.out()).at("/layers/0/title").asText());

        Files.createSymbolicLink(files.resolve("site/passwd"), Path.of("/etc/passwd"));
        InProcessRun refused = run("artifact", "push", layout("v1"), files.resolve("site").toString());
        assertEquals(ExitCodes.USAGE, refused.exit(), refused.err());
        assertTrue(refused.err().contains("is a symbolic link"), refused.err());
        assertFalse(Files.exists(dir.resolve("layout")));
    }

    private static Descriptor titled(Descriptor blob, String title) {
        return new Descriptor(blob.mediaType(), blob.digest(), blob.size(), null, null, Map.of(ArtifactManifest.TITLE, title), null);
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
