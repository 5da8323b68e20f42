package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.TestImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs stopped half way, against the real {@code docker-registry}: Ctrl-C (SIGINT) and SIGTERM
 * during a copy, and {@code --timeout} against a registry that never answers. The source is a
 * loopback registry that sends its one big layer slowly, so there is time to stop the copy
 * while the layer is being uploaded.
 */
class StoppedRunIT {
    private static final int LAYER_BYTES = 24 * 1024 * 1024;
    /** 24 MiB at 4 MiB a second: about 6 s of upload to stop. */
    private static final long BYTES_PER_SECOND = 4L * 1024 * 1024;
    /** Far more than the config blob, a quarter second into the layer. */
    private static final long LAYER_STARTED = 1024 * 1024;

    @AutoClose
    static RegistryServer registry;
    @AutoClose
    static Launcher launcher;
    static MockWebServer slowSource;
    static SlowRegistry slowRegistry;
    static LayoutImage image;

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.open().start();
        launcher = Launcher.create();
        image = TestImages.singleImage(launcher.scratch("source"), "v1", 1, LAYER_BYTES, "linux/amd64", 7);
        slowSource = new MockWebServer();
        slowRegistry = new SlowRegistry(image);
        slowSource.setDispatcher(slowRegistry);
        slowSource.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterAll
    static void stop() throws IOException {
        slowRegistry.releaseHeld();
        slowSource.shutdown();
    }

    /**
     * Serves {@code image} as {@code src:v1}, its blobs throttled; holds every request for
     * {@code held/...} until {@link #releaseHeld} (a copy stuck in planning).
     */
    private static final class SlowRegistry extends Dispatcher {
        private final LayoutImage image;
        final CountDownLatch heldRequest = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        SlowRegistry(LayoutImage image) {
            this.image = image;
        }

        void releaseHeld() {
            release.countDown();
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            String path = request.getPath() == null ? "" : request.getPath();
            try {
                if (path.equals("/v2/") || path.equals("/v2")) {
                    return new MockResponse().setBody("{}");
                }
                if (path.startsWith("/v2/held/")) {
                    heldRequest.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    return new MockResponse().setResponseCode(404);
                }
                if (path.equals("/v2/src/manifests/v1") || path.equals("/v2/src/manifests/" + image.digest())) {
                    byte[] bytes = Files.readAllBytes(image.blobPath(image.digest()));
                    MockResponse r = new MockResponse().addHeader("Content-Type", image.mediaType())
                            .addHeader("Docker-Content-Digest", image.digest());
                    return request.getMethod().equals("HEAD")
                            ? r.addHeader("Content-Length", bytes.length) : r.setBody(new Buffer().write(bytes));
                }
                if (path.startsWith("/v2/src/blobs/")) {
                    String digest = path.substring("/v2/src/blobs/".length());
                    byte[] bytes = Files.readAllBytes(image.blobPath(digest));
                    return new MockResponse().setBody(new Buffer().write(bytes))
                            .throttleBody(BYTES_PER_SECOND / 10, 100, TimeUnit.MILLISECONDS);
                }
            } catch (IOException e) {
                return new MockResponse().setResponseCode(500);
            }
            return new MockResponse().setResponseCode(404);
        }
    }

    private static String source() {
        return "127.0.0.1:" + slowSource.getPort() + "/src:v1";
    }

    private static Path uploads(String repository) {
        return registry.storageDir().resolve("docker/registry/v2/repositories/" + repository + "/_uploads");
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waited 30 s for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The registry logs a request when it has answered it, a moment after regctl has gone: wait for the line. */
    private static void awaitCancel(String repository) throws InterruptedException {
        try {
            awaitTrue("the DELETE of " + repository + "'s upload session in the registry's log",
                    () -> registry.countRequests("DELETE", "/v2/" + repository + "/blobs/uploads/.+") == 1);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the registry's log for it: " + registry.requests().stream()
                    .filter(r -> r.uri().startsWith("/v2/" + repository + "/")).toList(), e);
        }
    }

    /**
     * True once the layer's upload has its first MiB: its session is open and regctl has been
     * streaming into it. Any bytes would not do: the config blob's session holds its few hundred
     * bytes for a moment before the layer's session opens, and a stop then leaves nothing to drop.
     */
    private static boolean uploading(Path uploads) {
        try {
            for (Path session : entries(uploads)) {
                Path data = session.resolve("data");
                if (Files.isRegularFile(data) && Files.size(data) > LAYER_STARTED) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static final List<String> NOTHING_TAGGED = List.of("regctl: interrupted: nothing was tagged; rerun to resume");

    /** A copy of the slow source into {@code repository} of the registry, to start. */
    private static Launcher.Call copyTo(String repository) {
        return launcher.call("copy", source(), registry.docker(repository + ":v1"));
    }

    /** Starts {@code copy}, sends {@code signal} once its upload into {@code repository} has bytes, and waits for the end. */
    private static Launcher.Result stopMidUpload(Launcher.Call copy, String repository, String signal) throws InterruptedException {
        Launcher.Running run = copy.start();
        awaitTrue("bytes in the upload session", () -> uploading(uploads(repository)));
        run.signal(signal);
        return run.await(Duration.ofSeconds(20));
    }

    @Test
    void ctrlCDuringAnUploadCancelsTheSessionAndSaysNothingWasTagged() throws Exception {
        Launcher.Result r = stopMidUpload(copyTo("stopped/int"), "stopped/int", "INT");

        assertEquals(130, r.exitCode(), r.toString());
        assertEquals(NOTHING_TAGGED, r.stderrLines(), r.toString());
        // distribution 2.8 answers a session cancelled mid-chunk 404 (its _state token no longer matches the bytes
        // it kept) and purges it later itself; what regctl owes is the request, after the chunk has ended.
        awaitCancel("stopped/int");
        assertEquals(0, registry.countRequests("PUT", "/v2/stopped/int/manifests/.*"), "nothing was tagged");
    }

    @Test
    void ctrlCWhilePlanningAlsoSaysNothingWasTaggedAndToRerun() throws Exception {
        Launcher.Running run = launcher.call("copy", "127.0.0.1:" + slowSource.getPort() + "/held:v1",
                registry.docker("stopped/planning:v1")).start();
        assertTrue(slowRegistry.heldRequest.await(30, TimeUnit.SECONDS), "the source was asked for the image");
        run.signal("INT");
        Launcher.Result r = run.await(Duration.ofSeconds(20));

        assertEquals(130, r.exitCode(), r.toString());
        assertEquals(NOTHING_TAGGED, r.stderrLines(), r.toString());
    }

    @Test
    void ctrlCStopsARunWhoseParentIgnoresIt() throws Exception {
        // As under "nohup scripts/test &": the signal is ignored when the test JVM starts regctl.
        Launcher.Result r = stopMidUpload(copyTo("stopped/nohup").withInterruptIgnoredByParent(), "stopped/nohup", "INT");

        assertEquals(130, r.exitCode(), r.toString());
        assertEquals(NOTHING_TAGGED, r.stderrLines(), r.toString());
    }

    @Test
    void sigtermIsAStopLikeCtrlC() throws Exception {
        Launcher.Result r = stopMidUpload(copyTo("stopped/term"), "stopped/term", "TERM");

        assertEquals(130, r.exitCode(), r.toString());
        assertEquals(NOTHING_TAGGED, r.stderrLines(), r.toString());
        awaitCancel("stopped/term");
    }

    @Test
    void ctrlCDuringACopyIntoALayoutLeavesNoTempFiles() throws Exception {
        Path layout = launcher.scratch("stopped-layout").resolve("out");
        Launcher.Running run = launcher.call("copy", source(), "oci:" + layout + ":v1").start();
        awaitTrue("a temp file in the layout", () -> tempFiles(layout).size() > 0);
        run.signal("INT");
        Launcher.Result r = run.await(Duration.ofSeconds(20));

        assertEquals(130, r.exitCode(), r.toString());
        assertEquals(List.of(), tempFiles(layout), "temp files of the stopped copy");
    }

    @Test
    void ctrlCOrTimeoutDuringACopyIntoAnArchiveLeavesNoFile() throws Exception {
        Path dir = launcher.scratch("stopped-archive");
        Launcher.Running run = launcher.call("copy", source(), "oci-archive:" + dir.resolve("out.tar") + ":v1").start();
        awaitTrue("the archive's temp file", () -> tempFiles(dir).size() > 0);
        run.signal("INT");
        Launcher.Result r = run.await(Duration.ofSeconds(20));
        assertEquals(130, r.exitCode(), r.toString());
        assertEquals(List.of(), entries(dir), "neither the archive nor its temp file");

        Launcher.Result timedOut = launcher.call("copy", source(), "docker-archive:" + dir.resolve("out.tar") + ":app:1",
                "--timeout", "2s").timeout(Duration.ofSeconds(30)).run();
        assertTrue(timedOut.stderr().contains("timed out after 2s"), timedOut.toString());
        assertEquals(List.of(), entries(dir), "neither the archive nor its temp file");
    }

    private static List<Path> tempFiles(Path layout) {
        if (!Files.isDirectory(layout)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(layout)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Test
    void timeoutStopsACommandThatASilentRegistryHolds() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accepted, never answered
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long started = System.nanoTime();
            Launcher.Result r = launcher.call("tags", "127.0.0.1:" + silent.getLocalPort() + "/app", "--timeout", "2s")
                    .timeout(Duration.ofSeconds(30)).run();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

            assertEquals(1, r.exitCode(), r.toString());
            assertEquals(List.of("regctl: timed out after 2s (--timeout)"), r.stderrLines(), r.toString());
            assertTrue(seconds < 10, "stopped after " + seconds + " s");
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aBadTimeoutIsBadUsage() {
        Launcher.Result r = launcher.run("tags", registry.docker("any/app"), "--timeout", "soon");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("--timeout"), r.toString());
    }
}
