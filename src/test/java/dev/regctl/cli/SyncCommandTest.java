package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.sync.LayoutImages;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.util.List;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {
    @TempDir
    Path tmp;
    private Path src;

    private InProcessRun run(String... args) {
        return InProcessRun.of(tmp.resolve("docker"), args);
    }

    @BeforeEach
    void layout() {
        src = tmp.resolve("src");
        try (OciLayoutStore s = OciLayoutStore.create(src)) {
            LayoutImages.image(s, "1.0", "linux/amd64", "a");
            LayoutImages.image(s, "2.0", "linux/amd64", "b");
        }
    }

    private Path file(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("sync.yaml"), yaml);
    }

    @Test
    void printsOneLinePerImageAndASummaryThenSkipsOnTheRerun() throws Exception {
        Path f = file("version: 1\nsync:\n- {source: 'oci:" + src + "', target: 'oci:" + tmp.resolve("dst") + "'}\n");
        InProcessRun first = run("sync", f.toString());
        assertEquals(0, first.exit(), first.err());
        List<String> lines = first.out().lines().toList();
        assertEquals(3, lines.size(), first.out());
        assertTrue(lines.get(0).startsWith("copied oci:" + src + ":1.0 -> oci:" + tmp.resolve("dst") + ":1.0 sha256:"), lines.get(0));
        assertTrue(lines.get(2).startsWith("synced 2 copied, 0 skipped, 0 pruned, 0 failed ("), lines.get(2));

        InProcessRun again = run("sync", f.toString(), "-o", "json");
        assertEquals(0, again.exit(), again.err());
        JsonNode report = new ObjectMapper().readTree(again.out());
        assertEquals(2, report.path("skipped").asInt());
        assertEquals("0/1", report.path("shard").asText());
        JsonNode image = report.path("images").get(0);
        assertEquals("skipped", image.path("action").asText());
        assertEquals(image.path("sourceDigest").asText(), image.path("targetDigest").asText());
        for (String field : List.of("source", "target", "bytes", "seconds", "error")) {
            assertTrue(image.has(field), field);
        }
    }

    @Test
    void aFailedImageGivesItsExitCodeAndASummaryNamingIt() throws Exception {
        Path f = file("version: 1\nsync:\n- {source: 'oci:" + src + ":9.9', target: 'oci:" + tmp.resolve("dst") + "'}\n"
                + "- {source: 'oci:" + src + ":1.0', target: 'oci:" + tmp.resolve("dst") + "'}\n");
        InProcessRun r = run("sync", f.toString());
        assertEquals(ExitCodes.NOT_FOUND, r.exit(), "the only failure is a missing tag");
        assertTrue(r.out().contains("copied oci:" + src + ":1.0"), r.out());
        assertTrue(r.err().startsWith("regctl: sync: 1 of 2 images failed:\n  oci:" + src + ":9.9 -> "), r.err());
    }

    /** As digest REF... does: the failures' code when they agree, else the highest. */
    @Test
    void refusalsEverywhereExit4() throws Exception {
        try (MockWebServer registry = new MockWebServer()) {
            registry.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse().setStatus("HTTP/1.1 401 Unauthorized")
                            .setBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                }
            });
            registry.start(InetAddress.getByName("127.0.0.1"), 0);
            String host = "127.0.0.1:" + registry.getPort();
            Path f = file("version: 1\nsync:\n- {source: " + host + "/team/a, target: 'oci:" + tmp.resolve("a") + "'}\n"
                    + "- {source: '" + host + "/team/b:1', target: 'oci:" + tmp.resolve("b") + "'}\n");
            InProcessRun refused = run("sync", f.toString());
            assertEquals(ExitCodes.AUTH, refused.exit(), refused.out() + refused.err());
            assertTrue(refused.err().contains("2 of 2 images failed"), refused.err());
            JsonNode image = new ObjectMapper().readTree(run("sync", f.toString(), "-o", "json").out()).path("images").get(0);
            assertEquals(List.of("source", "target", "sourceDigest", "targetDigest", "action", "bytes", "seconds", "error"),
                    fieldNames(image), "the JSON contract is unchanged");

            Path mixed = file("version: 1\nsync:\n- {source: " + host + "/team/a, target: 'oci:" + tmp.resolve("a") + "'}\n"
                    + "- {source: 'oci:" + src + ":9.9', target: 'oci:" + tmp.resolve("dst") + "'}\n");
            assertEquals(ExitCodes.AUTH, run("sync", mixed.toString()).exit(), "a refusal is not hidden behind a miss");
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> all = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(all::add);
        return all;
    }

    @Test
    void aRepeatedEntryIsWarnedAboutAndDoneOnce() throws Exception {
        String entry = "- {source: 'oci:" + src + "', target: 'oci:" + tmp.resolve("dst") + "'}\n";
        Path f = file("version: 1\nsync:\n" + entry + entry);
        InProcessRun r = run("sync", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("regctl: warning: " + f + " line 4: sync entry 2 repeats sync entry 1 (line 3): done once"),
                r.err().lines().toList());
        assertTrue(r.out().contains("synced 2 copied, 0 skipped"), r.out());
    }

    @Test
    void aFailingImageIsNamedOnceOnItsLine() throws Exception {
        Path broken = tmp.resolve("broken");
        RawManifest image;
        try (OciLayoutStore s = OciLayoutStore.create(broken)) {
            image = LayoutImages.image(s, "1.0", "linux/amd64", "lost layer");
        }
        String layer = image.manifest().layers().get(0).digest().hex();
        Files.delete(broken.resolve("blobs/sha256/" + layer));
        Path f = file("version: 1\nsync:\n- {source: 'oci:" + broken + "', target: 'oci:" + tmp.resolve("dst") + "'}\n");
        InProcessRun r = run("sync", f.toString());
        assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.out() + r.err());
        String name = "oci:" + broken + ":1.0 -> oci:" + tmp.resolve("dst") + ":1.0";
        String failed = r.out().lines().filter(l -> l.startsWith("failed ")).findFirst().orElseThrow();
        assertTrue(failed.startsWith("failed " + name + ": "), failed);
        assertEquals(1, failed.split(java.util.regex.Pattern.quote(name), -1).length - 1, "named once: " + failed);
        List<String> summary = r.err().lines().filter(l -> l.contains(name)).toList();
        assertEquals(1, summary.size(), r.err());
        assertEquals(1, summary.get(0).split(java.util.regex.Pattern.quote(name), -1).length - 1, "named once: " + summary);
    }

    @Test
    void aFileWithTagFiltersOnAnImageIsRefusedBeforeAnythingIsCopied() throws Exception {
        Path f = file("version: 1\nsync:\n- source: 'oci:" + src + ":1.0'\n  target: 'oci:" + tmp.resolve("dst") + "'\n"
                + "  tags: {allow: ['1\\..*']}\n");
        InProcessRun r = run("sync", f.toString());
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals(List.of("regctl: " + f + " line 5: sync entry 1 (oci:" + src + ":1.0): tags filters pick tags of a repository,"
                + " and the source names one image; remove tags, or the tag from the source"), r.err().lines().toList());
        assertTrue(Files.notExists(tmp.resolve("dst")));
    }

    @Test
    void aBadFileIsOneLineAndExit2() throws Exception {
        Path f = file("version: 1\nsync:\n- source: a.io/x\n  target: b.io/x\n  platform: [linux/amd64]\n");
        InProcessRun r = run("sync", f.toString());
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("regctl: " + f + " line 5: unknown key \"platform\""), r.err());
        assertEquals(ExitCodes.USAGE, run("sync", tmp.resolve("missing.yaml").toString()).exit());
        assertEquals(ExitCodes.USAGE, run("sync", f.toString(), "--shard", "3/3").exit());
    }

    @Test
    void aDryRunListsThePlan() throws Exception {
        Path f = file("version: 1\nsync:\n- {source: 'oci:" + src + "', target: 'oci:" + tmp.resolve("dst") + "'}\n");
        InProcessRun r = run("sync", f.toString(), "--dry-run");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("copy oci:" + src + ":1.0 -> oci:" + tmp.resolve("dst") + ":1.0",
                "copy oci:" + src + ":2.0 -> oci:" + tmp.resolve("dst") + ":2.0"), r.out().lines().toList());
        assertTrue(Files.notExists(tmp.resolve("dst")));
    }

    @Test
    void theProgressLineSaysImagesFailuresBytesAndRate() {
        assertEquals("sync: 12/30 images, 1 failed, 45.0 MiB, 4.5 MiB/s",
                ProgressLines.line(new dev.regctl.ops.sync.SyncProgress.Snapshot(12, 30, 1, 45L << 20), 10));
    }

    @Test
    void progressIsANewLineForALog() {
        dev.regctl.ops.sync.SyncProgress progress = new dev.regctl.ops.sync.SyncProgress();
        StringWriter err = new StringWriter();
        HandTicker ticker = new HandTicker();
        try (ProgressLines lines = ProgressLines.start(progress, new PrintWriter(err), java.time.Duration.ofSeconds(5),
                ticker)) {
            ticker.tick();
            ticker.tick();
        }
        assertTrue(ticker.stopped);
        String text = err.toString();
        assertTrue(text.startsWith("sync: 0/0 images, 0 failed, 0 B, 0 B/s\n"), text);
        assertEquals(2, text.lines().count(), text);
        assertFalse(text.contains("\033"), "no cursor movement in a log: " + text);
    }

    @Test
    void barsOnATerminalLinesInALogNothingWhenQuietOrTraced() {
        assertEquals(SyncCommand.Watch.BARS, SyncCommand.Watch.of(false, false, true));
        assertEquals(SyncCommand.Watch.LINES, SyncCommand.Watch.of(false, false, false));
        assertEquals(SyncCommand.Watch.NONE, SyncCommand.Watch.of(true, false, true));
        assertEquals(SyncCommand.Watch.NONE, SyncCommand.Watch.of(false, true, true), "-v trace lines would tear bars");
        assertEquals(SyncCommand.Watch.NONE, SyncCommand.Watch.of(true, false, false));
    }
}
