package dev.regctl.cli;

import static dev.regctl.testing.ImageParts.blob;
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
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tag, manifest put and blob get|put through the CLI, on layouts and loopback servers: output, refusals, exit codes. */
class ComposeCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path layout;
    private Path config;
    private OciLayoutStore store;
    private RawManifest image;
    private Descriptor configBlob;

    @BeforeEach
    void layout() throws IOException {
        layout = dir.resolve("layout");
        config = Files.createDirectories(dir.resolve("docker-config"));
        store = OciLayoutStore.create(layout);
        configBlob = blob(store, MediaTypes.OCI_CONFIG,
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        image = RawManifest.of(manifestJson(true).getBytes(StandardCharsets.UTF_8), null);
        store.putManifest(image, "v1");
    }

    private String manifestJson(boolean withMediaType) {
        return "{\"schemaVersion\":2," + (withMediaType ? "\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"," : "")
                + "\"config\":{\"mediaType\":\"" + configBlob.mediaType() + "\",\"digest\":\"" + configBlob.digest()
                + "\",\"size\":" + configBlob.size() + "},\"layers\":[]}";
    }

    private InProcessRun run(String... args) {
        return InProcessRun.of(config, args);
    }

    @Test
    void indexAnnotationsAreKeyValuePairsAsAppendsLabelsAre() {
        InProcessRun r = run("index", "create", "oci:" + dir.resolve("out") + ":1", "oci:" + layout + ":v1", "--annotation", "novalue");

        assertEquals(2, r.exit(), r.err());
        assertEquals(List.of("regctl: --annotation \"novalue\": expected KEY=VALUE", "hint: to set an empty value, write KEY="),
                r.err().lines().toList());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void tagPointsEveryNewTagAtTheManifestAndPrintsThem() throws IOException {
        InProcessRun r = run("tag", "oci:" + layout + ":v1", "v1.0.0", "stable");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals(List.of("oci:" + layout + ":v1.0.0", "oci:" + layout + ":stable"), r.out().lines().toList());
        assertEquals(image.digest(), store.fetchManifest("v1.0.0").digest());
        assertEquals(image.digest(), store.fetchManifest("stable").digest());

        JsonNode json = JSON.readTree(run("-o", "json", "tag", "oci:" + layout + "@" + image.digest(), "again").out());
        assertEquals(List.of("repository", "digest", "tags", "dryRun"), fieldNames(json));
        assertEquals(image.digest().toString(), json.get("digest").asText());
    }

    @Test
    void tagChecksEveryTagBeforeWritingAny() {
        InProcessRun bad = run("tag", "oci:" + layout + ":v1", "good", "");
        assertEquals(ExitCodes.USAGE, bad.exit(), bad.err());
        assertTrue(bad.err().startsWith("regctl: tag \"\": not a valid tag\n"), bad.err());
        assertEquals(List.of("v1"), store.listTags());

        InProcessRun reference = run("tag", "oci:" + layout + ":v1", "localhost:5000/other:v1");
        assertEquals(ExitCodes.USAGE, reference.exit());
        assertTrue(reference.err().contains("a tag, not a reference"), reference.err());
        assertEquals(1, reference.err().lines().filter(l -> l.startsWith("regctl:")).count());

        InProcessRun dry = run("tag", "--dry-run", "oci:" + layout + ":v1", "later");
        assertEquals(ExitCodes.OK, dry.exit(), dry.err());
        assertEquals(List.of("v1"), store.listTags());
    }

    @Test
    void tagOfAMissingImageIsExitThree() {
        InProcessRun r = run("tag", "oci:" + layout + ":nope", "v2");
        assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.err());
        assertEquals(List.of("v1"), store.listTags());
    }

    @Test
    void tagAndPutRefuseAnArchiveWhichIsWrittenWhole() {
        InProcessRun r = run("tag", "oci-archive:" + dir.resolve("x.tar") + ":v1", "v2");
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertTrue(r.err().contains("an archive is written whole"), r.err());
    }

    @Test
    void manifestPutTakesTheDocumentsMediaTypeOrTheOptionAndRefusesWithoutEither() throws IOException {
        Path bare = Files.writeString(dir.resolve("bare.json"), manifestJson(false));
        InProcessRun refused = run("manifest", "put", "oci:" + layout + ":bare", bare.toString());
        assertEquals(ExitCodes.USAGE, refused.exit(), refused.err());
        assertTrue(refused.err().contains("no mediaType field"), refused.err());
        assertTrue(refused.err().contains("--media-type"), refused.err());

        InProcessRun ok = run("manifest", "put", "--media-type", MediaTypes.OCI_MANIFEST, "oci:" + layout + ":bare", bare.toString());
        assertEquals(ExitCodes.OK, ok.exit(), ok.err());
        Digest digest = Digest.sha256(Files.readAllBytes(bare));
        assertEquals(digest + "\n", ok.out());
        RawManifest stored = store.fetchManifest("bare");
        assertEquals(MediaTypes.OCI_MANIFEST, stored.mediaType());
        assertEquals(manifestJson(false), new String(stored.bytes(), StandardCharsets.UTF_8));

        InProcessRun conflict = run("manifest", "put", "--media-type", MediaTypes.DOCKER_MANIFEST,
                "oci:" + layout + ":x", write("typed.json", manifestJson(true)).toString());
        assertEquals(ExitCodes.USAGE, conflict.exit(), conflict.err());
    }

    @Test
    void manifestPutDryRunPrintsTheDigestAndPushesNothing() throws IOException {
        Path file = write("m.json", manifestJson(true) + "\n");

        InProcessRun r = run("manifest", "put", "--dry-run", "oci:" + layout + ":later", file.toString());

        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals(Digest.sha256(Files.readAllBytes(file)) + "\n", r.out());
        assertTrue(r.err().contains("nothing was pushed"), r.err());
        assertEquals(List.of("v1"), store.listTags());
    }

    @Test
    void manifestPutByADigestThatIsNotTheBytesIsRefused() throws IOException {
        Path file = write("m.json", manifestJson(true) + "\n");
        InProcessRun r = run("manifest", "put", "oci:" + layout + "@" + image.digest(), file.toString());
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertTrue(r.err().contains("the bytes' digest is " + Digest.sha256(Files.readAllBytes(file))), r.err());

        InProcessRun notJson = run("manifest", "put", "oci:" + layout + ":x", write("junk", "not json").toString());
        assertEquals(ExitCodes.USAGE, notJson.exit(), notJson.err());
        InProcessRun missing = run("manifest", "put", "oci:" + layout + ":x", dir.resolve("absent.json").toString());
        assertEquals(ExitCodes.USAGE, missing.exit(), missing.err());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    /** The digest printed is the bytes' own, so a registry that says it stored other bytes fails the push rather than agree. */
    @Test
    void manifestPutToARegistryThatStoredAnotherDigestIsExitOne() throws IOException {
        Digest other = Digest.sha256("other bytes".getBytes(StandardCharsets.UTF_8));
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return request.getMethod().equals("PUT") ? new MockResponse().setResponseCode(201)
                        .setHeader("Docker-Content-Digest", other.toString()) : new MockResponse();
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        try (server) {
            Path file = write("m.json", manifestJson(true));
            InProcessRun r = run("manifest", "put", "127.0.0.1:" + server.getPort() + "/app:v1", file.toString());

            assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
            assertEquals(List.of("regctl: push manifest app:v1: registry stored digest " + other + " but the manifest is "
                    + Digest.sha256(Files.readAllBytes(file))), r.err().lines().toList());
            assertEquals("", r.out(), "no digest is printed for a push the registry got wrong");
        }
    }

    /** A mount is between repositories of one registry: anything else is refused in one line before a byte is read. */
    @Test
    void blobPutMountFromAnythingButAnotherRepositoryOfTheRegistryIsExitTwo() throws IOException {
        Path file = Files.write(dir.resolve("mount.bin"), "bytes".getBytes(StandardCharsets.UTF_8));
        for (List<String> args : List.of(
                List.of("r.example/app", "--mount-from", "other.example/base"),
                List.of("r.example/app", "--mount-from", "r.example/app"),
                List.of("r.example/app", "--mount-from", "r.example/base:1"),
                List.of("r.example/app", "--mount-from", "oci:" + dir.resolve("x")),
                List.of("oci:" + layout, "--mount-from", "r.example/base"))) {
            List<String> argv = new java.util.ArrayList<>(List.of("blob", "put", args.get(0), file.toString()));
            argv.addAll(args.subList(1, args.size()));
            InProcessRun r = run(argv.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, r.exit(), argv + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("mounts blobs between its own repositories only"), r.err());
        }
    }

    /**
     * Whether --mount-from names the registry REPO is in is asked of where registries.conf sends
     * the two names, never of the hosts typed: two prefixes remapped onto one registry mount.
     */
    @Test
    void blobPutMountsBetweenTwoNamesRegistriesConfSendsToOneRegistry() throws IOException {
        byte[] bytes = "a shared layer".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        FakeRegistry registry = new FakeRegistry();
        registry.putBlob("real-base/base", digest, bytes);
        MockWebServer server = new MockWebServer();
        server.setDispatcher(registry);
        server.start(InetAddress.getLoopbackAddress(), 0);
        try (server) {
            String host = "127.0.0.1:" + server.getPort();
            Path conf = write("registries.conf", """
                    [[registry]]
                    prefix = "base.example"
                    location = "%s/real-base"
                    [[registry]]
                    prefix = "app.example"
                    location = "%s/real-app"
                    """.formatted(host, host));
            InProcessRun r = run("-o", "json", "blob", "put", "--registries-conf", conf.toString(), "app.example/app",
                    Files.write(dir.resolve("layer.bin"), bytes).toString(), "--mount-from", "base.example/base");
            assertEquals(ExitCodes.OK, r.exit(), r.err());
            assertEquals("real-base/base", JSON.readTree(r.out()).get("mountedFrom").asText(), r.out());
            assertTrue(registry.log().contains("POST /v2/real-app/app/blobs/uploads/?mount=" + digest.toString().replace(":", "%3A")
                    + "&from=real-base%2Fbase"), registry.log().toString());
            assertArrayEquals(bytes, registry.blob("real-app/app", digest));
        }
    }

    @Test
    void blobPutPrintsTheDigestAndStoresTheBytesOnce() throws IOException {
        byte[] bytes = "some layer bytes".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("blob.bin"), bytes);
        Digest digest = Digest.sha256(bytes);

        InProcessRun dry = run("-o", "json", "blob", "put", "--dry-run", "oci:" + layout, file.toString());
        assertEquals(ExitCodes.OK, dry.exit(), dry.err());
        JsonNode plan = JSON.readTree(dry.out());
        assertEquals(List.of("repository", "digest", "size", "present", "mountedFrom", "dryRun"), fieldNames(plan));
        assertFalse(plan.get("present").asBoolean());
        assertTrue(plan.get("mountedFrom").isNull());
        assertFalse(store.hasBlob(new Descriptor("x", digest, bytes.length)));

        InProcessRun r = run("blob", "put", "oci:" + layout, file.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals(digest + "\n", r.out());
        try (InputStream in = store.openBlob(new Descriptor("x", digest, bytes.length))) {
            assertEquals(new String(bytes, StandardCharsets.UTF_8), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        JsonNode again = JSON.readTree(run("-o", "json", "blob", "put", "oci:" + layout, file.toString()).out());
        assertTrue(again.get("present").asBoolean(), "a blob the store has is not sent again");

        InProcessRun tagged = run("blob", "put", "oci:" + layout + ":v1", file.toString());
        assertEquals(ExitCodes.USAGE, tagged.exit(), tagged.err());
    }

    @Test
    void blobGetWhoseBytesDoNotMatchLeavesNoFileAndExitsOne() throws IOException {
        byte[] promised = "the real config".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(promised);
        byte[] served = "the fake config".getBytes(StandardCharsets.UTF_8);
        try (MockWebServer server = lyingServer(served)) {
            Path out = Files.createDirectories(dir.resolve("out")).resolve("config.json");
            InProcessRun r = run("blob", "get", "127.0.0.1:" + server.getPort() + "/app@" + digest, out.toString());
            assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
            assertTrue(r.err().startsWith("regctl: blob get " + digest), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            try (Stream<Path> left = Files.list(out.getParent())) {
                assertEquals(List.of(), left.toList(), "neither the file nor a temporary file stays");
            }
        }
    }

    @Test
    void blobGetOfAMissingBlobIsExitThreeAndMakesNoFile() throws IOException {
        try (ContentRegistry registry = new ContentRegistry()) {
            Path out = dir.resolve("missing.bin");
            InProcessRun r = run("blob", "get", registry.repository() + "@" + Digest.sha256(new byte[1]), out.toString());
            assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.err());
            assertFalse(Files.exists(out));

            InProcessRun noDigest = run("blob", "get", registry.repository() + ":v1", out.toString());
            assertEquals(ExitCodes.USAGE, noDigest.exit(), noDigest.err());
        }
    }

    @Test
    void blobGetReadsALayoutsBlobsAndAnOciArchivesByDigestAlone() throws IOException {
        Path fromLayout = dir.resolve("config.json");
        InProcessRun r = run("-o", "json", "blob", "get", "oci:" + layout + "@" + configBlob.digest(), fromLayout.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals(configBlob.size(), Files.size(fromLayout));
        assertEquals(configBlob.digest(), Digest.sha256(Files.readAllBytes(fromLayout)));
        assertEquals(configBlob.size(), JSON.readTree(r.out()).get("size").asLong());

        Path archive = dir.resolve("app.tar");
        assertEquals(ExitCodes.OK, run("copy", "oci:" + layout + ":v1", "oci-archive:" + archive + ":v1").exit());
        Path fromArchive = dir.resolve("archived.json");
        InProcessRun archived = run("blob", "get", "oci-archive:" + archive + "@" + configBlob.digest(), fromArchive.toString());
        assertEquals(ExitCodes.OK, archived.exit(), archived.err());
        assertEquals(Files.readString(fromLayout), Files.readString(fromArchive));
    }

    @Test
    void blobGetOfABlobALayoutOrArchiveLacksIsExitThreeAndMakesNoFile() {
        Digest absent = Digest.sha256(new byte[1]);
        Path out = dir.resolve("absent.bin");
        InProcessRun r = run("blob", "get", "oci:" + layout + "@" + absent, out.toString());
        assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.err());
        assertEquals("regctl: oci:" + layout + ": blob " + absent + " not found\n", r.err());
        assertFalse(Files.exists(out));

        Path archive = dir.resolve("app.tar");
        assertEquals(ExitCodes.OK, run("copy", "oci:" + layout + ":v1", "oci-archive:" + archive + ":v1").exit());
        InProcessRun archived = run("blob", "get", "oci-archive:" + archive + "@" + absent, out.toString());
        assertEquals(ExitCodes.NOT_FOUND, archived.exit(), archived.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void leadingGlobalOptionsGoAfterTheSubcommandOfAGroup() {
        assertEquals(List.of("manifest", "get", "-o", "json", "R"),
                List.of(LeadingOptions.afterCommand(new String[] {"-o", "json", "manifest", "get", "R"}, n -> true,
                        n -> n.equals("manifest"))));
        assertEquals(List.of("tag", "-v", "R", "T"),
                List.of(LeadingOptions.afterCommand(new String[] {"-v", "tag", "R", "T"}, n -> true, n -> false)));
    }

    @Test
    void aGroupWithoutItsSubcommandIsUsage() {
        InProcessRun r = run("blob");
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
    }

    /** Answers a HEAD with the promised size and a GET with other bytes of that size. */
    private static MockWebServer lyingServer(byte[] served) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getPath().equals("/v2/")) {
                    return new MockResponse();
                }
                MockResponse r = new MockResponse().setHeader("Content-Type", "application/octet-stream");
                return request.getMethod().equals("HEAD") ? r.setHeader("Content-Length", served.length)
                        : r.setBody(new okio.Buffer().write(served));
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
