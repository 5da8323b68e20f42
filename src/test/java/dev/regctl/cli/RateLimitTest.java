package dev.regctl.cli;

import static dev.regctl.testing.ImageParts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ratelimit}, and {@code sync} under a Docker Hub style pull limit served on loopback. */
class RateLimitTest {
    @TempDir
    Path tmp;
    private ContentRegistry registry;

    private InProcessRun run(String... args) {
        return InProcessRun.of(tmp.resolve("docker"), args);
    }

    @BeforeEach
    void start() {
        registry = new ContentRegistry();
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    private RawManifest image(String tag, String seed) {
        Descriptor config = registry.blob(MediaTypes.OCI_CONFIG,
                ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8));
        Descriptor layer = registry.blob(MediaTypes.OCI_LAYER_GZIP, ("layer " + seed).getBytes(StandardCharsets.UTF_8));
        return registry.manifest(RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(config) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8),
                MediaTypes.OCI_MANIFEST), tag);
    }

    private Path file() throws Exception {
        return Files.writeString(tmp.resolve("sync.yaml"), "version: 1\nsync:\n- {source: '" + registry.repository()
                + "', target: 'oci:" + tmp.resolve("dst") + "'}\n");
    }

    @Test
    void ratelimitPrintsTheLimitWithoutSpendingAPull() throws Exception {
        image("latest", "a");
        registry.limitPulls(100, 76);
        InProcessRun r = run("ratelimit", registry.repository() + ":latest");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("limit 100", "remaining 76", "window 21600s", "source 203.0.113.7"), r.out().lines().toList());
        JsonNode json = new ObjectMapper().readTree(run("ratelimit", "-o", "json", registry.repository()).out());
        assertEquals(76, json.path("remaining").asInt(), "the first HEAD spent nothing");
        assertTrue(json.path("limited").asBoolean());
    }

    @Test
    void aLayoutOrAnArchiveIsRefusedInOneLineWithoutBeingOpened() {
        for (String ref : List.of("oci:" + tmp.resolve("missing"), "docker-archive:" + tmp.resolve("missing.tar"))) {
            InProcessRun r = run("ratelimit", ref);
            assertEquals(ExitCodes.USAGE, r.exit(), r.err());
            assertEquals("regctl: ratelimit asks a registry, and " + ref + " names none\n", r.err());
        }
    }

    @Test
    void aRegistryWithoutLimitsSaysSo() {
        image("latest", "a");
        InProcessRun r = run("ratelimit", registry.repository());
        assertEquals(0, r.exit(), r.err());
        assertEquals("127.0.0.1:" + registry.repository().split("[:/]")[1] + ": no rate limit reported\n", r.out());
    }

    @Test
    void syncStopsStartingImagesBeforeTheLimitRunsOut() throws Exception {
        image("a", "a");
        image("b", "b");
        image("c", "c");
        registry.limitPulls(100, 2);
        InProcessRun r = run("sync", "-j", "1", "-o", "json", file().toString());
        assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertEquals(1, report.path("copied").asInt(), r.out());
        assertEquals(2, report.path("failed").asInt());
        String stopped = report.path("stopped").asText();
        assertTrue(stopped.startsWith("127.0.0.1:") && stopped.contains(" reported 2 of 100 pulls left per 6 h; 2 images not started;"
                + " rerun when its 6 h window has passed"), stopped);
        assertTrue(report.path("images").get(2).path("error").asText().startsWith("not started: "), r.out());
        assertTrue(r.err().contains("not started"), r.err());
    }

    @Test
    void a429StopsTheImagesNotYetStarted() throws Exception {
        // An index costs three GETs where the budget counts one image, so the registry refuses first.
        RawManifest one = image(null, "x");
        RawManifest two = image(null, "y");
        registry.manifest(RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + platformed(one, "amd64") + "," + platformed(two, "arm64") + "]}").getBytes(StandardCharsets.UTF_8),
                MediaTypes.OCI_INDEX), "a-index");
        image("b", "b");
        image("c", "c");
        image("d", "d");
        registry.limitPulls(100, 4);
        InProcessRun r = run("sync", "-j", "1", "-o", "json", file().toString());
        assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
        JsonNode report = new ObjectMapper().readTree(r.out());
        List<String> actions = new ArrayList<>();
        report.path("images").forEach(i -> actions.add(i.path("action").asText()));
        assertEquals(List.of("copied", "copied", "failed", "failed"), actions, r.out());
        assertTrue(report.path("images").get(2).path("error").asText().contains("429"), r.out());
        assertTrue(report.path("stopped").asText().contains("refused a pull with 429; 1 image not started; rerun in 1 s"),
                report.path("stopped").asText());
    }

    private static String platformed(RawManifest m, String arch) {
        return "{\"mediaType\":\"" + m.mediaType() + "\",\"digest\":\"" + m.digest() + "\",\"size\":" + m.bytes().length
                + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + arch + "\"}}";
    }
}
