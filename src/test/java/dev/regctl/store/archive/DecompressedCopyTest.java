package dev.regctl.store.archive;

import dev.regctl.store.BadArchiveException;
import dev.regctl.store.ExpansionLimits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Compressed archives: where they are decompressed, how far they may grow, and what is left behind. */
class DecompressedCopyTest {

    private static final long MIB = 1 << 20;
    /** No process has this PID: Linux's are at most 2^22. */
    private static final long DEAD_PID = 999_999_999L;

    @TempDir
    Path dir;

    @Test
    void aGzipBombStopsAtTheRatioAndLeavesNothing() throws IOException {
        Path bomb = write("bomb.tar.gz", gzip(tarOfZeros(64 * MIB)));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        ExpansionLimits limits = new ExpansionLimits(tmp, 1L << 40, 100, MIB);
        BadArchiveException e = assertThrows(BadArchiveException.class, () -> ArchiveFile.open(bomb, limits).close());
        assertTrue(e.getMessage().contains("over 100 times its compressed size")
                && e.getMessage().contains("REGCTL_ARCHIVE_MAX_RATIO"), e.getMessage());
        assertEquals(List.of(), list(tmp));
    }

    @Test
    void aZstdBombStopsAtTheSizeLimit() throws IOException {
        Path bomb = write("bomb.tar.zst", zstd(tarOfZeros(16 * MIB)));
        ExpansionLimits limits = new ExpansionLimits(dir, 8 * MIB, Long.MAX_VALUE, 8 * MIB);
        BadArchiveException e = assertThrows(BadArchiveException.class, () -> ArchiveFile.open(bomb, limits).close());
        assertEquals("refusing to decompress it past 8 MiB; if the archive is genuine, raise REGCTL_ARCHIVE_MAX_SIZE",
                e.getMessage());
    }

    @Test
    void aGenuineArchiveBiggerThanWhereTheRatioStartsIsRead() throws IOException {
        byte[] content = new byte[(int) (4 * MIB)];
        new Random(7).nextBytes(content);
        Path archive = write("genuine.tar.gz", gzip(TarBytes.concat(TarBytes.file("layer", content), TarBytes.end())));
        try (ArchiveFile read = ArchiveFile.open(archive, new ExpansionLimits(dir, 64 * MIB, 100, MIB))) {
            assertArrayEquals(content, read.open(read.file("layer", "layer")).readAllBytes());
        }
    }

    @Test
    void theCopyGoesToTmpdirAndNothingIsLeftThere() throws IOException {
        Path archive = write("small.tar.gz", gzip(TarBytes.concat(TarBytes.member("a", '0'), TarBytes.end())));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        ExpansionLimits limits = ExpansionLimits.fromEnvironment(Map.of("TMPDIR", tmp.toString()));
        assertEquals(tmp, limits.directory());
        try (ArchiveFile read = ArchiveFile.open(archive, limits)) {
            assertEquals(1, read.open(read.file("a", "x")).readAllBytes().length);
            // Unlinked while open: not even a SIGKILL now could leave it behind.
            assertEquals(List.of(), list(tmp));
        }

        Path missing = dir.resolve("no-such-dir");
        IOException e = assertThrows(IOException.class, () -> ArchiveFile.open(archive,
                ExpansionLimits.fromEnvironment(Map.of("TMPDIR", missing.toString()))).close());
        assertFalse(e instanceof BadArchiveException);
        assertTrue(e.getMessage().startsWith("cannot make a temporary file in " + missing), e.getMessage());
        assertTrue(e.getMessage().contains("no such directory") && e.getMessage().contains("TMPDIR"), e.getMessage());
    }

    @Test
    void withoutTmpdirTheJavaTemporaryDirectoryIsUsed() {
        Path java = Path.of(System.getProperty("java.io.tmpdir"));
        assertEquals(java, ExpansionLimits.fromEnvironment(Map.of()).directory());
        assertEquals(java, ExpansionLimits.fromEnvironment(Map.of("TMPDIR", "")).directory());
    }

    @Test
    void copiesLeftByKilledRunsAreRemovedAndLiveOnesKept() throws IOException {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path dead = Files.createFile(tmp.resolve("regctl-archive-" + DEAD_PID + "-123.tar"));
        Path live = Files.createFile(tmp.resolve("regctl-archive-" + ProcessHandle.current().pid() + "-456.tar"));
        Path oldUnnamed = Files.createFile(tmp.resolve("regctl-archive-789.tar"));
        Files.setLastModifiedTime(oldUnnamed, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path recentUnnamed = Files.createFile(tmp.resolve("regctl-archive-790.tar"));
        Path someoneElses = Files.createFile(tmp.resolve("regctl-archive-notes.txt"));
        Path link = Files.createSymbolicLink(tmp.resolve("regctl-archive-" + DEAD_PID + "-9.tar"), someoneElses);

        Path archive = write("small.tar.zst", zstd(TarBytes.concat(TarBytes.member("a", '0'), TarBytes.end())));
        ArchiveFile.open(archive, ExpansionLimits.fromEnvironment(Map.of("TMPDIR", tmp.toString()))).close();

        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(oldUnnamed));
        assertTrue(Files.exists(live), "this process's own copies are live");
        assertTrue(Files.exists(recentUnnamed), "no PID: only its age makes it stale");
        assertTrue(Files.exists(someoneElses));
        assertTrue(Files.isSymbolicLink(link), "a link by such a name is not a copy regctl made");
    }

    /**
     * {@code zstd --long=27} (128 MiB windows): a layer repeated further back than 8 MiB, where
     * only a long window finds it, is read back whole.
     */
    @Test
    void aLongWindowZstdArchiveIsRead() throws IOException {
        byte[] block = new byte[(int) (9 * MIB)];
        new Random(5).nextBytes(block);
        byte[] layer = TarBytes.concat(block, block);
        byte[] frame = zstd(out -> out.write(TarBytes.concat(TarBytes.file("layer", layer), TarBytes.end())), 27);
        assertEquals(27, windowLog(frame));
        assertTrue(frame.length < 10 * MIB, "the repeat 9 MiB back was matched: " + frame.length);
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        try (ArchiveFile read = ArchiveFile.open(write("long.tar.zst", frame),
                ExpansionLimits.fromEnvironment(Map.of("TMPDIR", tmp.toString())))) {
            assertArrayEquals(layer, read.open(read.file("layer", "layer")).readAllBytes());
        }
        assertEquals(List.of(), list(tmp));
    }

    /** A window over 128 MiB would have regctl allocate it: refused, in one line, with how to recompress. */
    @Test
    void aZstdWindowOverTheBoundIsRefusedInOneLine() throws IOException {
        byte[] frame = zstd(tarOfZeros(2 * MIB), 28);
        windowLog(frame);
        // The encoder fits the window to this small a layer; a big one gets the header this one now has.
        frame[5] = (byte) ((28 - 10) << 3);
        assertEquals(28, windowLog(frame));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path archive = write("longer.tar.zst", frame);
        BadArchiveException e = assertThrows(BadArchiveException.class, () -> ArchiveFile.open(archive,
                ExpansionLimits.fromEnvironment(Map.of("TMPDIR", tmp.toString()))).close());
        assertEquals("cannot decompress it: it was compressed with a window over 128 MiB (zstd --long=28 or more),"
                + " which regctl does not read; recompress it with --long=27 or less"
                + " (zstd -d --long=31 -c FILE | zstd --long=27 -o NEW.tar.zst)", e.getMessage());
        assertEquals(List.of(), list(tmp));
    }

    @Test
    void aTruncatedOrCorruptZstdArchiveIsRefusedInOneLine() throws IOException {
        byte[] content = new byte[(int) MIB];
        new Random(3).nextBytes(content);
        byte[] frame = zstd(TarBytes.concat(TarBytes.file("layer", content), TarBytes.end()));
        byte[] reserved = frame.clone();
        reserved[4] |= 0x08; // the frame header's reserved bit, which must be 0
        for (byte[] bad : List.of(java.util.Arrays.copyOf(frame, frame.length / 2), reserved)) {
            Path archive = write("bad.tar.zst", bad);
            BadArchiveException e = assertThrows(BadArchiveException.class, () -> ArchiveFile.open(archive,
                    ExpansionLimits.fromEnvironment(Map.of("TMPDIR", dir.toString()))).close());
            assertTrue(e.getMessage().startsWith("cannot decompress it: "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    /** The window log a frame header declares (RFC 8878 3.1.1.1.2), for a frame with a window descriptor. */
    private static int windowLog(byte[] frame) {
        assertEquals(0, frame[4] & 0x20, "a frame with a window descriptor");
        return ((frame[5] & 0xff) >>> 3) + 10;
    }

    /**
     * {@code docker save | xz} and {@code | bzip2}, as docker load and skopeo read them, several
     * streams one after the other included (pixz, pbzip2 and lbzip2 write those).
     */
    @Test
    void xzAndBzip2ArchivesAreRead() throws IOException {
        byte[] content = new byte[(int) (2 * MIB)];
        new Random(11).nextBytes(content);
        byte[] tar = TarBytes.concat(TarBytes.file("layer", content), TarBytes.end());
        byte[] first = java.util.Arrays.copyOf(tar, tar.length / 3);
        byte[] rest = java.util.Arrays.copyOfRange(tar, first.length, tar.length);
        for (Path archive : List.of(write("saved.tar.xz", TarBytes.concat(xz(first), xz(rest))),
                write("saved.tar.bz2", TarBytes.concat(bzip2(first), bzip2(rest))))) {
            try (ArchiveFile read = ArchiveFile.open(archive, ExpansionLimits.fromEnvironment(Map.of("TMPDIR", dir.toString())))) {
                assertArrayEquals(content, read.open(read.file("layer", "layer")).readAllBytes(), archive.toString());
            }
        }
    }

    @Test
    void xzAndBzip2BombsStopAtTheLimits() throws IOException {
        ExpansionLimits limits = new ExpansionLimits(dir, 8 * MIB, Long.MAX_VALUE, 8 * MIB);
        for (byte[] bomb : List.of(xz(tarOfZeros(16 * MIB)), bzip2(tarOfZeros(16 * MIB)))) {
            Path archive = write("bomb", bomb);
            BadArchiveException e = assertThrows(BadArchiveException.class, () -> ArchiveFile.open(archive, limits).close());
            assertEquals("refusing to decompress it past 8 MiB; if the archive is genuine, raise REGCTL_ARCHIVE_MAX_SIZE",
                    e.getMessage());
        }
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path ratio = write("ratio.tar.bz2", bzip2(tarOfZeros(64 * MIB)));
        BadArchiveException e = assertThrows(BadArchiveException.class,
                () -> ArchiveFile.open(ratio, new ExpansionLimits(tmp, 1L << 40, 100, MIB)).close());
        assertTrue(e.getMessage().contains("over 100 times its compressed size"), e.getMessage());
        assertEquals(List.of(), list(tmp));
    }

    /**
     * A dictionary bigger than the memory allowed would end in an OutOfMemoryError: refused with
     * what to do. The format allows 1.5 GiB; the launcher gives regctl a 40 MiB heap.
     */
    @Test
    void anXzArchiveNeedingMoreMemoryThanAllowedIsRefused() throws IOException {
        byte[] xz = xz(TarBytes.concat(TarBytes.member("a", '0'), TarBytes.end()));
        // The block header after the 12-byte stream header: size, flags, then LZMA2's filter flags
        // (ID 0x21, one property byte: the dictionary size), padding, and its CRC32.
        int headerSize = ((xz[12] & 0xff) + 1) * 4;
        assertEquals(0x21, xz[14]);
        xz[16] = 28; // a 64 MiB dictionary, as xz -9 writes
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(xz, 12, headerSize - 4);
        java.nio.ByteBuffer.wrap(xz, 12 + headerSize - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        Path archive = write("huge-dictionary.tar.xz", xz);
        ExpansionLimits limits = new ExpansionLimits(dir, 1L << 40, 100, MIB, 20 * MIB);
        BadArchiveException e = assertThrows(BadArchiveException.class, () -> ArchiveFile.open(archive, limits).close());
        assertEquals("cannot decompress it: it was compressed with xz settings that need 65 MiB of memory to read, over the"
                + " 20 MiB regctl may use; give it more (REGCTL_JAVA_OPTS=-Xmx195m) or recompress it at the default level"
                + " (xz -dc FILE | xz -6 > NEW.tar.xz)", e.getMessage());
        ArchiveFile.open(archive, new ExpansionLimits(dir, 1L << 40, 100, MIB, 80 * MIB)).close();
    }

    @Test
    void limitsComeFromTheEnvironment() {
        ExpansionLimits defaults = ExpansionLimits.fromEnvironment(Map.of());
        assertEquals(64L << 30, defaults.maxBytes());
        assertEquals(100, defaults.maxRatio());
        assertEquals(1L << 30, defaults.ratioFrom());

        ExpansionLimits set = ExpansionLimits.fromEnvironment(Map.of("REGCTL_ARCHIVE_MAX_SIZE", "500MiB",
                "REGCTL_ARCHIVE_MAX_RATIO", "2000"));
        assertEquals(500 * MIB, set.maxBytes());
        assertEquals(2000, set.maxRatio());
        assertEquals(500 * MIB, set.ratioFrom(), "the ratio starts no later than the size limit");
        assertEquals(2L << 40, ExpansionLimits.fromEnvironment(Map.of("REGCTL_ARCHIVE_MAX_SIZE", "2T")).maxBytes());
        assertEquals(123, ExpansionLimits.fromEnvironment(Map.of("REGCTL_ARCHIVE_MAX_SIZE", "123")).maxBytes());

        for (Map<String, String> bad : List.of(Map.of("REGCTL_ARCHIVE_MAX_SIZE", "1.5GiB"),
                Map.of("REGCTL_ARCHIVE_MAX_SIZE", "0"), Map.of("REGCTL_ARCHIVE_MAX_SIZE", "99999999999999999TiB"),
                Map.of("REGCTL_ARCHIVE_MAX_RATIO", "lots"), Map.of("REGCTL_ARCHIVE_MAX_RATIO", "-1"))) {
            RegctlException e = assertThrows(RegctlException.class, () -> ExpansionLimits.fromEnvironment(bad));
            assertEquals(RegctlException.Kind.USAGE, e.kind());
            String variable = bad.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith(variable + "=\"" + bad.get(variable) + "\" is not "), e.getMessage());
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    /** A tar of one member of {@code size} zero bytes, as a stream writes it: never whole in memory. */
    private interface TarSource {
        void writeTo(OutputStream out) throws IOException;
    }

    private static TarSource tarOfZeros(long size) {
        return out -> {
            out.write(TarBytes.header("zeros", size, '0', true));
            byte[] zeros = new byte[(int) MIB];
            for (long left = size; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            out.write(TarBytes.end());
        };
    }

    private static byte[] gzip(byte[] tar) throws IOException {
        return gzip(out -> out.write(tar));
    }

    private static byte[] gzip(TarSource tar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes, 1 << 16)) {
            tar.writeTo(out);
        }
        return bytes.toByteArray();
    }

    private static byte[] xz(byte[] tar) throws IOException {
        return xz(out -> out.write(tar));
    }

    private static byte[] xz(TarSource tar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new XZOutputStream(bytes, new LZMA2Options(1))) {
            tar.writeTo(out);
        }
        return bytes.toByteArray();
    }

    private static byte[] bzip2(byte[] tar) throws IOException {
        return bzip2(out -> out.write(tar));
    }

    private static byte[] bzip2(TarSource tar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new BZip2CompressorOutputStream(bytes, 1)) {
            tar.writeTo(out);
        }
        return bytes.toByteArray();
    }

    private static byte[] zstd(byte[] tar) throws IOException {
        return zstd(out -> out.write(tar));
    }

    private static byte[] zstd(TarSource tar) throws IOException {
        return zstd(tar, 0);
    }

    /** zstd, with {@code --long=windowLog} unless it is 0. */
    private static byte[] zstd(TarSource tar, int windowLog) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZstdOutputStreamNoFinalizer out = new ZstdOutputStreamNoFinalizer(bytes)) {
            if (windowLog > 0) {
                out.setLong(windowLog);
            }
            tar.writeTo(out);
        }
        return bytes.toByteArray();
    }
}
