package dev.regctl.store.archive;

import dev.regctl.store.BadArchiveException;
import dev.regctl.store.ExpansionLimits;
import static dev.regctl.store.archive.TarBytes.checksum;
import static dev.regctl.store.archive.TarBytes.concat;
import static dev.regctl.store.archive.TarBytes.header;
import static dev.regctl.store.archive.TarBytes.member;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar reader and writer, on archives made member by member, hostile ones included. */
class TarIndexTest {

    @TempDir
    Path dir;

    @Test
    void writerOutputIsIndexedWithLongNamesAndContentAtItsOffset() throws IOException {
        String longName = "blobs/sha256/" + "a".repeat(150);
        Path file = dir.resolve("a.tar");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            TarWriter tar = new TarWriter(out);
            tar.directory("blobs");
            tar.file("short.json", "{}".getBytes(StandardCharsets.UTF_8));
            tar.file(longName, 3, new ByteArrayInputStream(new byte[] {1, 2, 3}));
            tar.finish();
        }
        try (ArchiveFile archive = ArchiveFile.open(file, ExpansionLimits.fromEnvironment(Map.of()))) {
            TarEntry entry = archive.file(longName, "blob");
            assertEquals(3, entry.size());
            assertArrayEquals(new byte[] {1, 2, 3}, archive.open(entry).readAllBytes());
            assertEquals(TarEntry.Type.DIRECTORY, archive.index().find("blobs").orElseThrow().type());
            assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), archive.readAll(archive.file("./short.json", "x"), 10, "x"));
        }
    }

    @Test
    void contentThatEndsShortIsCutBackOut() throws IOException {
        Path file = dir.resolve("b.tar");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            TarWriter tar = new TarWriter(out);
            tar.file("first", new byte[] {9});
            long before = out.position();
            assertThrows(IOException.class, () -> tar.file("second", 10, new ByteArrayInputStream(new byte[4])));
            assertEquals(before, out.size(), "the failed member is gone");
            tar.file("second", 1, new ByteArrayInputStream(new byte[] {7}));
            tar.finish();
        }
        try (ArchiveFile archive = ArchiveFile.open(file, ExpansionLimits.fromEnvironment(Map.of()))) {
            assertArrayEquals(new byte[] {7}, archive.open(archive.file("second", "x")).readAllBytes());
        }
    }

    @Test
    void gnuLongNamesAndUstarPrefixesAreRead() throws IOException {
        String longName = "dir/" + "b".repeat(200);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        byte[] name = longName.getBytes(StandardCharsets.UTF_8);
        tar.write(header("././@LongLink", name.length, 'L', false));
        tar.write(Arrays.copyOf(name, (int) TarIndex.padded(name.length)));
        tar.write(header("truncated-name", 2, '0', false));
        tar.write(Arrays.copyOf(new byte[] {4, 5}, 512));
        byte[] prefixed = header("file", 1, '0', true);
        System.arraycopy("some/prefix".getBytes(StandardCharsets.UTF_8), 0, prefixed, 345, 11);
        checksum(prefixed);
        tar.write(prefixed);
        tar.write(Arrays.copyOf(new byte[] {6}, 512));
        tar.write(new byte[1024]);
        try (ArchiveFile archive = open(tar.toByteArray())) {
            assertArrayEquals(new byte[] {4, 5}, archive.open(archive.file(longName, "x")).readAllBytes());
            assertArrayEquals(new byte[] {6}, archive.open(archive.file("some/prefix/file", "x")).readAllBytes());
        }
    }

    @Test
    void hostileMembersAreRefused() throws IOException {
        assertRefused(member("../x", '0'), "climbs out");
        assertRefused(member("a/../../x", '0'), "climbs out");
        assertRefused(member("/etc/passwd", '0'), "absolute path");
        byte[] twice = concat(member("a", '0'), member("a", '0'));
        assertRefused(twice, "appears twice");
        byte[] bad = member("a", '0');
        bad[0] = 'b';
        assertRefused(bad, "not a tar archive");
        byte[] good = concat(member("a", '0'), member("b", '0'), new byte[1024]);
        assertRefused(Arrays.copyOf(good, 512 + 100), "truncated");
    }

    /**
     * Go's archive/tar, which docker and skopeo read archives with, gives links, devices,
     * directories and FIFOs no data whatever size their header declares; so must regctl, or the
     * members such a size covers are hidden from regctl alone and the two see different archives.
     */
    @Test
    void headerOnlyMembersDeclaringASizeHideNothing() throws IOException {
        for (char type : new char[] {'1', '2', '3', '4', '5', '6'}) {
            byte[] hidden = member("hidden", '0');
            byte[] tar = concat(header("cover", hidden.length, type, true), hidden, TarBytes.end());
            try (ArchiveFile archive = open(tar)) {
                assertArrayEquals(new byte[] {1}, archive.open(archive.file("hidden", "x")).readAllBytes(),
                        "type " + type);
                assertEquals(0, archive.index().find("cover").orElseThrow().size(), "type " + type);
            }
        }
        // A PAX size applies to the next header, and is ignored for these types alike.
        byte[] pax = "13 size=1024\n".getBytes(StandardCharsets.UTF_8);
        byte[] tar = concat(header("pax", pax.length, 'x', true), Arrays.copyOf(pax, 512),
                header("dir/", 0, '5', true), member("hidden", '0'), TarBytes.end());
        try (ArchiveFile archive = open(tar)) {
            assertTrue(archive.index().find("hidden").isPresent());
        }
    }

    @Test
    void aMemberHiddenBehindADirectorysSizeIsStillADuplicate() throws IOException {
        byte[] second = TarBytes.file("manifest.json", "[{\"Config\":\"other.json\"}]".getBytes(StandardCharsets.UTF_8));
        byte[] tar = concat(TarBytes.file("manifest.json", "[]".getBytes(StandardCharsets.UTF_8)),
                header("dir/", second.length, '5', true), second, TarBytes.end());
        assertRefused(tar, "\"manifest.json\" appears twice");
    }

    @Test
    void aRegularFileOwnsTheBlocksItsSizeDeclares() throws IOException {
        byte[] inside = member("inside", '0');
        try (ArchiveFile archive = open(concat(header("file", inside.length, '0', true), inside, TarBytes.end()))) {
            assertArrayEquals(inside, archive.open(archive.file("file", "x")).readAllBytes());
            assertTrue(archive.index().find("inside").isEmpty());
        }
    }

    @Test
    void linksAreListedButNeverRead() throws IOException {
        try (ArchiveFile archive = open(concat(member("link", '2'), member("hard", '1'), new byte[1024]))) {
            BadArchiveException e = assertThrows(BadArchiveException.class, () -> archive.file("link", "layer"));
            assertTrue(e.getMessage().contains("a symbolic link, not a regular file; links are not followed"), e.getMessage());
            assertThrows(BadArchiveException.class, () -> archive.file("hard", "layer"));
            assertThrows(BadArchiveException.class, () -> archive.file("absent", "layer"));
        }
    }

    @Test
    void compressedArchivesAreReadThroughATemporaryCopyRemovedOnClose() throws IOException {
        byte[] plain = concat(member("a", '0'), new byte[1024]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(plain);
        }
        ArchiveFile archive = open(gz.toByteArray());
        try (InputStream in = archive.open(archive.file("a", "x"))) {
            assertEquals(1, in.readAllBytes().length);
        }
        archive.close();
        try (var temps = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(temps.noneMatch(p -> p.getFileName().toString().startsWith("regctl-archive-")
                    && p.toFile().lastModified() > System.currentTimeMillis() - 60_000));
        }
    }

    @Test
    void zstdArchivesAreReadToo() throws IOException {
        ByteArrayOutputStream zst = new ByteArrayOutputStream();
        try (var out = new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(zst)) {
            out.write(concat(member("z", '0'), new byte[1024]));
        }
        try (ArchiveFile archive = open(zst.toByteArray())) {
            assertArrayEquals(new byte[] {1}, archive.open(archive.file("z", "x")).readAllBytes());
        }
    }

    @Test
    void garbageIsNoArchive() throws IOException {
        assertRefused(new byte[0], "empty");
        assertRefused("just some text that is long enough".repeat(20).getBytes(StandardCharsets.UTF_8), "not a tar archive");
        assertRefused(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}, "cannot decompress");
    }

    private void assertRefused(byte[] tar, String why) throws IOException {
        BadArchiveException e = assertThrows(BadArchiveException.class, () -> open(tar).close());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private ArchiveFile open(byte[] tar) throws IOException {
        Path file = Files.createTempFile(dir, "t", ".tar");
        Files.write(file, tar);
        return ArchiveFile.open(file, ExpansionLimits.fromEnvironment(Map.of()));
    }
}
