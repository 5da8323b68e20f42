package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.FakeRegistry;
import dev.regctl.ops.Images;
import dev.regctl.store.ocidir.OciLayoutStore;
import dev.regctl.testing.ImageParts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index create} from the sources the registry tests do not reach: archives of both kinds,
 * images whose configs name a variant or a Windows build, and an index taken whole.
 */
class IndexCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;
    private Path layout;

    @BeforeEach
    void images() throws IOException {
        config = Files.createDirectories(dir.resolve("docker-config"));
        layout = dir.resolve("src");
        try (OciLayoutStore store = OciLayoutStore.create(layout)) {
            image(store, "amd64", "linux/amd64");
            image(store, "arm64", "linux/arm64");
            image(store, "armv7", "linux/arm/v7");
            image(store, "windows", "windows(10.0.20348.2340)/amd64");
        }
    }

    /** An image whose one layer is a real gzip'd tar, so every store (a docker archive too) takes it. */
    private static void image(OciLayoutStore store, String tag, String platform) {
        Images.image(store, tag, platform, ImageParts.layer(tag + ".txt", tag.getBytes(StandardCharsets.UTF_8)).bytes());
    }

    private InProcessRun run(String... args) {
        return InProcessRun.of(config, args);
    }

    private String ok(String... args) {
        InProcessRun r = run(args);
        assertEquals(ExitCodes.OK, r.exit(), String.join(" ", args) + ": " + r.err());
        return r.out().strip();
    }

    /**
     * A docker archive names no manifest by digest; its image was once asked for by one, which the
     * archive's own reference refused, so no docker archive could be a SRC.
     */
    @Test
    void archivesOfBothKindsAreSourcesOfADockerList() throws IOException {
        String docker = "docker-archive:" + dir.resolve("amd64.tar");
        String oci = "oci-archive:" + dir.resolve("arm64.tar") + ":1";
        ok("copy", "oci:" + layout + ":amd64", docker + ":app:amd64");
        ok("copy", "--format", "v2s2", "oci:" + layout + ":arm64", oci);
        List<String> sources = List.of(docker, oci);
        List<String> expected = new ArrayList<>();
        for (String s : sources) {
            expected.add(ok("digest", s));
        }
        Path into = dir.resolve("out");

        JsonNode result = JSON.readTree(ok("-o", "json", "index", "create", "--format", "v2s2", "oci:" + into + ":1",
                docker, oci));

        try (OciLayoutStore out = OciLayoutStore.open(into)) {
            RawManifest index = out.fetchManifest("1");
            assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, index.mediaType());
            assertEquals(index.digest().toString(), result.get("digest").asText(), result.toPrettyString());
            List<String> children = new ArrayList<>();
            for (Descriptor d : index.index().manifests()) {
                children.add(d.digest() + " " + d.platform());
                RawManifest child = out.fetchManifest(d.digest().toString());
                assertEquals(MediaTypes.DOCKER_MANIFEST, child.mediaType());
                assertTrue(out.hasBlob(child.manifest().config()), "the config of " + d.digest() + " is in the target");
                child.manifest().layers().forEach(l -> assertTrue(out.hasBlob(l), "layer " + l.digest() + " is in the target"));
            }
            assertEquals(List.of(expected.get(0) + " linux/amd64", expected.get(1) + " linux/arm64"), children);
        }
        assertEquals(sources, texts(result.get("children"), "source"));
        assertTrue(result.get("bytes").asLong() > 0, "the layers and configs were uploaded: " + result.toPrettyString());
    }

    @Test
    void eachImagesPlatformIsReadFromItsConfigVariantAndWindowsBuildIncluded() throws IOException {
        Path into = dir.resolve("out");

        ok("index", "create", "oci:" + into + ":1", "oci:" + layout + ":armv7", "oci:" + layout + ":windows");

        try (OciLayoutStore out = OciLayoutStore.open(into)) {
            JsonNode index = JSON.readTree(out.fetchManifest("1").bytes());
            assertEquals(JSON.readTree("{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}"),
                    index.at("/manifests/0/platform"), index.toPrettyString());
            assertEquals(JSON.readTree("{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.20348.2340\"}"),
                    index.at("/manifests/1/platform"), index.toPrettyString());
        }
    }

    @Test
    void anIndexSourceWithoutPlatformGivesEveryEntryAsListed() throws IOException {
        Path into = dir.resolve("out");
        ok("index", "create", "oci:" + layout + ":both", "oci:" + layout + ":amd64", "oci:" + layout + ":arm64");
        JsonNode source;
        try (OciLayoutStore store = OciLayoutStore.open(layout)) {
            source = JSON.readTree(store.fetchManifest("both").bytes());
        }

        ok("index", "create", "oci:" + into + ":1", "oci:" + layout + ":both", "oci:" + layout + ":armv7");

        try (OciLayoutStore out = OciLayoutStore.open(into)) {
            JsonNode index = JSON.readTree(out.fetchManifest("1").bytes());
            assertEquals(3, index.get("manifests").size(), index.toPrettyString());
            assertEquals(source.at("/manifests/0"), index.at("/manifests/0"));
            assertEquals(source.at("/manifests/1"), index.at("/manifests/1"));
            assertEquals("v7", index.at("/manifests/2/platform/variant").asText(), index.toPrettyString());
        }
    }

    @Test
    void addAndRemoveDryRunsChangeNothingAndShowTheDigestARunPushes() throws IOException {
        String target = "oci:" + dir.resolve("out") + ":1";
        ok("index", "create", target, "oci:" + layout + ":amd64");
        Path indexJson = dir.resolve("out/index.json");
        byte[] before = Files.readAllBytes(indexJson);

        JsonNode plannedAdd = JSON.readTree(ok("-o", "json", "index", "add", "--dry-run", target, "oci:" + layout + ":arm64"));

        assertTrue(plannedAdd.get("dryRun").asBoolean());
        assertArrayEquals(before, Files.readAllBytes(indexJson), "a dry run changes no tag");
        assertEquals(plannedAdd.get("digest").asText(), ok("index", "add", target, "oci:" + layout + ":arm64"));

        byte[] added = Files.readAllBytes(indexJson);
        JsonNode plannedRemove = JSON.readTree(ok("-o", "json", "index", "remove", "--dry-run", target, "--platform", "linux/amd64"));
        assertArrayEquals(added, Files.readAllBytes(indexJson), "a dry run changes no tag");
        assertEquals(plannedRemove.get("digest").asText(), ok("index", "remove", target, "--platform", "linux/amd64"));
    }

    /** Children in other repositories of TARGET's registry are linked there, as copy links them: no layer is sent again. */
    @Test
    void childrenInAnotherRepositoryOfTheRegistryAreMountedNotUploaded() throws IOException {
        FakeRegistry registry = new FakeRegistry();
        for (String arch : List.of("amd64", "arm64")) {
            registry.serve("ci/" + arch, "1", "linux/" + arch, ImageParts.random(512, arch.hashCode()));
        }
        MockWebServer server = new MockWebServer();
        server.setDispatcher(registry);
        server.start(InetAddress.getLoopbackAddress(), 0);
        try (server) {
            String host = "127.0.0.1:" + server.getPort();

            JsonNode result = JSON.readTree(ok("-o", "json", "index", "create", host + "/app:1", host + "/ci/amd64:1",
                    host + "/ci/arm64:1"));

            assertEquals(JSON.readTree("{\"uploaded\":0,\"mounted\":4,\"skipped\":0}"), result.get("blobs"), result.toPrettyString());
            assertEquals(0, result.get("bytes").asLong());
            assertEquals(0, registry.count("PATCH", "/v2/app/blobs/.*") + registry.count("PUT", "/v2/app/blobs/.*"),
                    registry.log().toString());
            assertEquals(result.get("digest").asText(), registry.manifest("app", "1").digest().toString());
        }
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.get(field).asText()));
        return texts;
    }
}
