package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress as bars on a terminal and as periodic lines in a log. */
class ProgressTest {
    private static final long MIB = 1024L * 1024;

    @TempDir
    Path tmp;

    private static Descriptor blob(String seed, long size) {
        return new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(seed.getBytes(StandardCharsets.UTF_8)), size);
    }

    private static CopyPlan plan(Descriptor... blobs) {
        return new CopyPlan("src", "dst", false, List.of(), List.of(),
                java.util.Arrays.stream(blobs).map(b -> new CopyPlan.BlobStep(b, BlobAction.UPLOAD, null)).toList(),
                List.of());
    }

    /** Where the bar ends: the column of its closing edge. */
    private static int barEnd(String line) {
        return line.lastIndexOf('│');
    }

    @Test
    void barsKeepTheirWidthWhateverTheNumbersBesideThem() {
        String start = BarRenderer.line("total       ", 1, 900 * MIB, Duration.ofMillis(300), "");
        String later = BarRenderer.line("total       ", 512 * MIB, 900 * MIB, Duration.ofSeconds(75), "retry 2");
        String done = BarRenderer.line("total       ", 900 * MIB, 900 * MIB, Duration.ofSeconds(90), "");
        String waiting = BarRenderer.line("total       ", 0, 900 * MIB, Duration.ofSeconds(5), BarRenderer.WAITING);
        assertEquals(barEnd(start), barEnd(later));
        assertEquals(barEnd(start), barEnd(done));
        assertEquals(barEnd(start), barEnd(waiting));
        assertEquals(start.length(), done.length(), start + "\n" + done);
    }

    @Test
    void theRateHasADecimalFromTheFirstTenthOfASecond() {
        assertEquals("3.0 MiB/s", BarRenderer.rate(3 * MIB / 2, Duration.ofMillis(500)));
        assertEquals("1.5 MiB/s", BarRenderer.rate(3 * MIB, Duration.ofMillis(2000)));
        assertEquals("", BarRenderer.rate(MIB, Duration.ofMillis(20)));
        assertTrue(BarRenderer.line("x", MIB, 10 * MIB, Duration.ofMillis(400), "").contains("2.5 MiB/s"));
    }

    @Test
    void aBlobNotYetStartedSaysWaitingNotZeroPercent() {
        String line = BarRenderer.line("abc", 0, MIB, Duration.ofSeconds(3), BarRenderer.WAITING);
        assertTrue(line.endsWith("waiting"), line);
        assertFalse(line.contains("0%"), line);
    }

    @Test
    void aLogLineCountsBlobsBytesAndRate() {
        Descriptor a = blob("a", 4 * MIB);
        Descriptor b = blob("b", 6 * MIB);
        ProgressLog log = new ProgressLog(new PrintWriter(new StringWriter()), Duration.ofHours(1));
        log.started(plan(a, b));
        log.blobProgress(a, 4 * MIB);
        log.blobFinished(a, BlobAction.UPLOAD);
        log.blobProgress(b, 2 * MIB);
        log.blobRestarted(b, 2, new RuntimeException("reset"));
        log.blobProgress(b, MIB);
        log.finished();
        assertEquals("progress: 1/2 blobs, 5.0 MiB / 10.0 MiB, 512.0 KiB/s, 10 s", log.line(Duration.ofSeconds(10)));
    }

    @Test
    void aLogLineComesWithEveryTickUntilTheCopyEnds() {
        StringWriter err = new StringWriter();
        HandTicker ticker = new HandTicker();
        ProgressLog log = new ProgressLog(new PrintWriter(err), Duration.ofSeconds(30), ticker);
        log.started(plan(blob("a", MIB)));
        assertEquals(Duration.ofSeconds(30), ticker.interval);
        ticker.tick();
        ticker.tick();
        assertEquals(2, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().lines().allMatch(l -> l.startsWith("progress: 0/1 blob, 0 B / 1.0 MiB")), err.toString());

        log.finished();
        assertTrue(ticker.stopped);
        ticker.tick(); // a tick already under way when the copy ended
        assertEquals(2, err.toString().lines().count(), "no line after the copy ended");
    }

    @Test
    void aTickerRunsItsTaskAgainAndAgain() throws InterruptedException {
        CountDownLatch three = new CountDownLatch(3);
        Ticker ticker = Ticker.every(Duration.ofMillis(10), three::countDown);
        try {
            // Waits for the runs themselves, however long a loaded machine takes to schedule them.
            assertTrue(three.await(60, TimeUnit.SECONDS), "three runs");
        } finally {
            ticker.stopAndWait();
        }
    }

    private String copy(ContentRegistry registry, String dst, String... options) {
        return copy(registry, dst, new StringWriter(), options);
    }

    private String copy(ContentRegistry registry, String dst, StringWriter err, String... options) {
        StringWriter out = new StringWriter();
        List<String> argv = new java.util.ArrayList<>(List.of("copy"));
        argv.addAll(List.of(options));
        argv.addAll(List.of(registry.repository() + ":v1", "oci:" + tmp.resolve(dst) + ":v1",
                "--docker-config", tmp.resolve("docker").toString()));
        assertEquals(ExitCodes.OK, Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err)),
                err::toString);
        return err.toString();
    }

    @Test
    void offATerminalALongCopyLogsProgressUnlessQuiet() throws IOException {
        try (ContentRegistry registry = new ContentRegistry()) {
            Descriptor config = registry.blob(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
            registry.manifest(RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                    + "\",\"config\":{\"mediaType\":\"" + config.mediaType() + "\",\"digest\":\"" + config.digest()
                    + "\",\"size\":" + config.size() + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8), null), "v1");
            // The blob is held until a progress line has been logged, so the line comes first on any machine.
            CountDownLatch logged = new CountDownLatch(1);
            registry.holdBlobsUntil(logged);
            StringWriter err = new StringWriter() {
                @Override
                public void flush() {
                    if (toString().contains("progress: ")) {
                        logged.countDown();
                    }
                }
            };
            String log = copy(registry, "logged", err, "--progress-interval", "1s");
            assertTrue(log.startsWith("progress: 0/1 blob, 0 B / 2 B"), log);

            // Quiet: one and a half intervals of copying print nothing; a loaded machine can only make it longer.
            registry.slowBlobs(Duration.ofMillis(1500));
            assertEquals("", copy(registry, "quiet", "-q", "--progress-interval", "1s"));
        }
    }
}
