package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.store.ocidir.TestImages.Image;
import dev.regctl.testing.ImageParts.Blob;
import dev.regctl.testing.ImageParts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copy writes blobs from a thread pool and tags from several threads; the layout must hold up. */
class OciLayoutStoreConcurrencyTest {

    private static final int THREADS = 8;

    @TempDir
    Path tmp;

    @Test
    void eightBlobsFromEightThreadsAtOnce() throws Exception {
        Path dir = tmp.resolve("layout");
        OciLayoutStore store = OciLayoutStore.create(dir);
        List<Descriptor> blobs = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int size = 256 * 1024 + i * 100_003;
            blobs.add(new Descriptor(MediaTypes.OCI_LAYER_GZIP, OciLayoutStoreTest.digestOfGenerated(size, i), size));
        }

        runAtOnce(THREADS, i -> store.putBlob(blobs.get(i), OciLayoutStoreTest.generated((int) blobs.get(i).size(), i)));

        for (Descriptor blob : blobs) {
            assertTrue(store.hasBlob(blob));
            try (InputStream in = store.openBlob(blob)) {
                assertEquals(blob.size(), in.transferTo(OutputStream.nullOutputStream()));
            }
        }
        assertEquals(THREADS, countFiles(dir.resolve("blobs/sha256")), "blobs and nothing else");
    }

    @Test
    void theSameBlobFromEightThreadsAtOnce() throws Exception {
        Path dir = tmp.resolve("layout");
        OciLayoutStore store = OciLayoutStore.create(dir);
        Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, ImageParts.random(1024 * 1024, 9));

        runAtOnce(THREADS, i -> store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes())));

        assertArrayEquals(blob.bytes(), Files.readAllBytes(dir.resolve("blobs/sha256/" + blob.digest().hex())));
        assertEquals(1, countFiles(dir.resolve("blobs/sha256")));
    }

    @Test
    void tagsFromManyThreadsAndTwoStoresOnOneDirectoryAreAllKept() throws Exception {
        Path dir = tmp.resolve("layout");
        // Copying a layout into itself opens it twice; both must share one index lock.
        OciLayoutStore first = OciLayoutStore.create(dir);
        OciLayoutStore second = OciLayoutStore.open(tmp.resolve("layout/../layout"));
        int tags = 4 * THREADS;
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < tags; i++) {
            images.add(TestImages.image("amd64", new byte[] {(byte) i}));
        }

        runAtOnce(tags, i -> {
            OciLayoutStore store = i % 2 == 0 ? first : second;
            Image image = images.get(i);
            store.putBlob(image.config().descriptor(), new ByteArrayInputStream(image.config().bytes()));
            store.putBlob(image.layers()[0].descriptor(), new ByteArrayInputStream(image.layers()[0].bytes()));
            store.putManifest(image.manifest(), null);
            store.putManifest(image.manifest(), "t" + i);
        });

        List<String> listed = first.listTags();
        assertEquals(tags, listed.size(), "lost index.json updates: " + listed);
        assertEquals(tags, new HashSet<>(listed).size());
        for (int i = 0; i < tags; i++) {
            Digest expected = images.get(i).manifest().digest();
            assertEquals(expected, second.fetchManifest("t" + i).digest());
        }
    }

    /** A task that may throw, given its index. */
    private interface Task {
        void run(int index) throws Exception;
    }

    /** Starts {@code count} tasks together on their own threads and fails with the first failure. */
    private static void runAtOnce(int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<Void> call = () -> {
                    start.await();
                    task.run(index);
                    return null;
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            for (Future<Void> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
