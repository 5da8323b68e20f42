package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.MediaTypes;
import dev.regctl.testing.ImageParts.Blob;
import dev.regctl.testing.ImageParts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary files of interrupted or killed copies: removed on interrupt, and by the next write
 * when their writer is gone, never while another process may still be writing them.
 */
class LayoutTempFilesTest {

    @TempDir
    Path tmp;

    private Path dir;
    private OciLayoutStore store;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("layout");
        store = OciLayoutStore.create(dir);
    }

    @Test
    void theNextWriteRemovesTempFilesOfDeadProcesses() throws Exception {
        long dead = deadPid();
        Path staleIndex = Files.write(dir.resolve(".index.json." + dead + "-1f2e3d.tmp"), new byte[10]);
        Path staleBlob = Files.write(dir.resolve("blobs/sha256/." + "ab".repeat(32) + "." + dead + "-9a.tmp"),
                new byte[10]);

        Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {1});
        store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));

        assertFalse(Files.exists(staleIndex));
        assertFalse(Files.exists(staleBlob));
    }

    @Test
    void theNextWriteKeepsTempFilesOfLiveProcesses() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Path otherProcess = Files.write(dir.resolve("blobs/sha256/.cafe." + other.pid() + "-1.tmp"), new byte[10]);
            Path thisProcess = Files.write(dir.resolve(".index.json." + ProcessHandle.current().pid() + "-2.tmp"),
                    new byte[10]);

            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {2});
            store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));

            assertTrue(Files.exists(otherProcess), "another writer's file in progress");
            assertTrue(Files.exists(thisProcess), "another store's file in progress in this process");
        } finally {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theNextWriteRemovesOldTempFilesWhateverTheirOwner() throws Exception {
        Path old = dir.resolve("blobs/sha256/.beef." + ProcessHandle.current().pid() + "-3.tmp");
        Path olderNaming = dir.resolve(".index.json.0123456789abcdef.tmp");
        for (Path p : List.of(old, olderNaming)) {
            Files.write(p, new byte[10]);
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        }

        store.putManifest(TestImages.manifest(Blob.of(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8))),
                "v1");

        assertFalse(Files.exists(old));
        assertFalse(Files.exists(olderNaming));
    }

    @Test
    void filesOfOtherNamingAreLeftAlone() throws Exception {
        long dead = deadPid();
        List<Path> others = List.of(
                dir.resolve("notes." + dead + "-1.tmp"),
                dir.resolve(".notes.tmp"),
                dir.resolve("blobs/.x." + dead + "-1.tmp.keep"));
        for (Path p : others) {
            Files.write(p, new byte[1]);
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        }

        Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {3});
        store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));

        for (Path p : others) {
            assertTrue(Files.exists(p), p.toString());
        }
    }

    @Test
    void theInterruptCleanupRemovesTempFilesStillBeingWritten() throws Exception {
        byte[] content = ImageParts.random(200_000, 11);
        Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, content);
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        InputStream pausesHalfway = new InputStream() {
            private final InputStream first = new ByteArrayInputStream(content, 0, 100_000);
            private final InputStream rest = new ByteArrayInputStream(content, 100_000, 100_000);

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = first.read(b, off, len);
                if (n > 0) {
                    return n;
                }
                halfway.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return rest.read(b, off, len);
            }
        };
        CompletableFuture<Void> writing = CompletableFuture.runAsync(
                () -> store.putBlob(blob.descriptor(), pausesHalfway));
        try {
            assertTrue(halfway.await(30, TimeUnit.SECONDS));
            List<Path> temps = tempFiles();
            assertEquals(1, temps.size(), temps.toString());
            assertTrue(temps.get(0).getFileName().toString().contains("." + ProcessHandle.current().pid() + "-"),
                    "the writer's PID is in the name: " + temps);

            LiveTempFiles.deleteAll();

            assertEquals(List.of(), tempFiles());
        } finally {
            resume.countDown();
        }
        ExecutionException failed = assertThrows(ExecutionException.class, () -> writing.get(30, TimeUnit.SECONDS));
        assertInstanceOf(RegctlException.class, failed.getCause());
        assertFalse(store.hasBlob(blob.descriptor()), "a removed temp file never becomes a blob");
        assertEquals(List.of(), tempFiles());
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** The PID of a process that has ended. */
    private static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
