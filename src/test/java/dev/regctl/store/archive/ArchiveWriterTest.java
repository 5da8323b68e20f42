package dev.regctl.store.archive;

import dev.regctl.store.ExpansionLimits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One archive written by many threads, put in place only when committed. */
class ArchiveWriterTest {

    @TempDir
    Path dir;

    @Test
    void parallelBlobsLandWholeAndTheArchiveAppearsOnlyAtCommit() throws Exception {
        Path target = dir.resolve("out.tar");
        ArchiveWriter writer = new ArchiveWriter("test", target, () -> { });
        List<byte[]> contents = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 16; i++) {
            byte[] b = new byte[1000 + random.nextInt(300_000)];
            random.nextBytes(b);
            contents.add(b);
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (byte[] b : contents) {
                done.add(pool.submit(() -> writer.put(OciArchiveContent.blobName(Digest.sha256(b)),
                        descriptor(b), () -> new ByteArrayInputStream(b))));
            }
            for (Future<Boolean> f : done) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertFalse(Files.exists(target), "nothing in place before the commit");
        assertFalse(writer.put("again", descriptor(contents.get(0)), () -> {
            throw new AssertionError("a blob in already is not read again");
        }));
        writer.commit("index.json", "{}".getBytes());
        writer.close();
        assertEquals(List.of(target), files());
        try (ArchiveFile archive = ArchiveFile.open(target, ExpansionLimits.fromEnvironment(Map.of()))) {
            for (byte[] b : contents) {
                TarEntry entry = archive.file(OciArchiveContent.blobName(Digest.sha256(b)), "blob");
                assertArrayEquals(b, archive.open(entry).readAllBytes());
            }
        }
    }

    @Test
    void aBlobThatDoesNotMatchIsCutOutAndAFailedCopyLeavesNothing() throws IOException {
        Path target = dir.resolve("out.tar");
        ArchiveWriter writer = new ArchiveWriter("test", target, () -> { });
        byte[] good = {1, 2, 3};
        RegctlException e = assertThrows(RegctlException.class, () -> writer.put("bad", descriptor(good),
                () -> new ByteArrayInputStream(new byte[] {1, 2, 4})));
        assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
        assertTrue(writer.put("good", descriptor(good), () -> new ByteArrayInputStream(good)), "a retry succeeds");
        assertEquals(1, files().size(), "the temporary file, beside the target");
        writer.close();
        assertEquals(List.of(), files());
    }

    private static Descriptor descriptor(byte[] b) {
        return new Descriptor("application/octet-stream", Digest.sha256(b), b.length);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
