package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.it.support.Launcher;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.artifact.ArtifactManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code artifact pull} of a directory layer stopped with Ctrl-C while it unpacks: the hidden
 * directory it unpacks into beside its target is removed by the shutdown hook. The layer comes
 * from a loopback registry that sends it slowly, so there is time to stop the pull half way.
 */
class StoppedPullIT {
    /** 8 MiB at 1 MiB a second: about 8 s of unpacking to stop. */
    private static final int BIG_FILE = 8 * 1024 * 1024;
    private static final long BYTES_PER_SECOND = 1024 * 1024;

    @AutoClose
    static Launcher launcher;
    static MockWebServer slow;

    @BeforeAll
    static void start() throws IOException {
        launcher = Launcher.create();
        byte[] layer = directoryLayer();
        Descriptor blob = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(layer), layer.length, null, null,
                Map.of(ArtifactManifest.TITLE, "site", ArtifactManifest.UNPACK, "true"), null);
        RawManifest manifest = ArtifactManifest.build("application/x", Map.of(), List.of(blob), null, Map.of());
        slow = new MockWebServer();
        slow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath() == null ? "" : request.getPath();
                if (path.equals("/v2/")) {
                    return new MockResponse().setBody("{}");
                }
                if (path.equals("/v2/art/manifests/v1")) {
                    return new MockResponse().addHeader("Content-Type", manifest.mediaType())
                            .addHeader("Docker-Content-Digest", manifest.digest())
                            .setBody(new Buffer().write(manifest.bytes()));
                }
                if (path.equals("/v2/art/blobs/" + blob.digest())) {
                    return new MockResponse().setBody(new Buffer().write(layer))
                            .throttleBody(BYTES_PER_SECOND / 10, 100, TimeUnit.MILLISECONDS);
                }
                if (path.equals("/v2/art/blobs/" + ArtifactManifest.EMPTY_CONFIG.digest())) {
                    return new MockResponse().setBody("{}");
                }
                return new MockResponse().setResponseCode(404);
            }
        });
        slow.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterAll
    static void stop() throws IOException {
        slow.shutdown();
    }

    /** {@code site/} with a small file, then a big one that cannot be compressed. */
    private static byte[] directoryLayer() throws IOException {
        byte[] big = new byte[BIG_FILE];
        new Random(3).nextBytes(big);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.putArchiveEntry(new TarArchiveEntry("site/"));
            tar.closeArchiveEntry();
            byte[] small = "<p>hi</p>".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry index = new TarArchiveEntry("site/index.html");
            index.setSize(small.length);
            tar.putArchiveEntry(index);
            tar.write(small);
            tar.closeArchiveEntry();
            TarArchiveEntry bigEntry = new TarArchiveEntry("site/big.bin");
            bigEntry.setSize(big.length);
            tar.putArchiveEntry(bigEntry);
            tar.write(big);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void ctrlCWhileADirectoryLayerUnpacksLeavesNothingBesideTheTarget() throws Exception {
        Path out = Files.createDirectories(launcher.scratch("pull").resolve("out"));
        Launcher.Running run = launcher.call("artifact", "pull", "127.0.0.1:" + slow.getPort() + "/art:v1",
                "--dir", out.toString()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // Stopped once the hidden directory holds the first file: unpacking is under way.
        while (entries(out).stream().noneMatch(p -> Files.exists(p.resolve("index.html")))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no unpack directory with index.html in " + out + " after 30 s: " + entries(out));
            }
            Thread.sleep(20);
        }
        assertTrue(entries(out).get(0).getFileName().toString().startsWith(".site."), entries(out).toString());

        run.signal("INT");
        Launcher.Result r = run.await(Duration.ofSeconds(30));

        assertEquals(130, r.exitCode(), r.toString());
        assertEquals(List.of(), entries(out), "neither the directory nor its hidden unpack directory stays");
    }
}
