package dev.regctl.ops.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.Digest;
import dev.regctl.store.ExpansionLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory layer's tar is untrusted: nothing it holds may land, or point, outside the unpacked tree. */
class TarUnpackTest {
    private static final ExpansionLimits LIMITS = ExpansionLimits.fromEnvironment(java.util.Map.of("REGCTL_ARCHIVE_MAX_SIZE", "1MiB"));

    @TempDir
    Path work;

    private Path root;
    private Path outside;

    @BeforeEach
    void dirs() throws IOException {
        root = Files.createDirectories(work.resolve("out").resolve("site"));
        outside = work.resolve("outside");
    }

    /** One tar entry to write: a name, a type flag, and a link target or file content. */
    private record E(String name, byte type, String linkOrText) {
        static E dir(String name) {
            return new E(name, TarArchiveEntry.LF_DIR, null);
        }

        static E file(String name, String text) {
            return new E(name, TarArchiveEntry.LF_NORMAL, text);
        }

        static E symlink(String name, String target) {
            return new E(name, TarArchiveEntry.LF_SYMLINK, target);
        }

        static E hardlink(String name, String target) {
            return new E(name, TarArchiveEntry.LF_LINK, target);
        }
    }

    private static byte[] tar(E... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (E e : entries) {
                TarArchiveEntry header = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.type() == TarArchiveEntry.LF_SYMLINK || e.type() == TarArchiveEntry.LF_LINK) {
                    header.setLinkName(e.linkOrText());
                }
                byte[] content = e.type() == TarArchiveEntry.LF_NORMAL ? e.linkOrText().getBytes(StandardCharsets.UTF_8) : new byte[0];
                header.setSize(content.length);
                header.setMode(e.type() == TarArchiveEntry.LF_DIR ? 0755 : 0644);
                out.putArchiveEntry(header);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] tar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(tar);
        }
        return bytes.toByteArray();
    }

    private void unpack(byte[] tar, Digest tarDigest) throws IOException, TarUnpack.Refused {
        new TarUnpack(root, List.of("site"), LIMITS).unpack(new ByteArrayInputStream(gzip(tar)), tarDigest);
    }

    private String refused(E... entries) throws IOException {
        String message = assertThrows(TarUnpack.Refused.class, () -> unpack(tar(entries), null)).getMessage();
        assertFalse(Files.exists(outside, LinkOption.NOFOLLOW_LINKS), "something was written outside: " + message);
        return message;
    }

    @Test
    void filesDirectoriesAndLinksInsideAreUnpackedAndTheTarDigestChecked() throws IOException, TarUnpack.Refused {
        byte[] tar = tar(E.dir("site/"), E.file("site/index.html", "page"), E.dir("site/css/"),
                E.file("site/css/a.css", "body{}"), E.symlink("site/home.html", "index.html"),
                E.symlink("site/css/up", "../index.html"), E.hardlink("site/copy.html", "site/index.html"));
        unpack(tar, Digest.sha256(tar));
        assertEquals("page", Files.readString(root.resolve("index.html")));
        assertEquals("body{}", Files.readString(root.resolve("css/a.css")));
        assertEquals("index.html", Files.readSymbolicLink(root.resolve("home.html")).toString());
        assertEquals("page", Files.readString(root.resolve("copy.html")));
    }

    @Test
    void aTarThatIsNotTheAnnotatedDigestIsRefused() throws IOException {
        byte[] tar = tar(E.dir("site/"), E.file("site/a", "x"));
        Digest other = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        String message = assertThrows(TarUnpack.Refused.class, () -> unpack(tar, other)).getMessage();
        assertTrue(message.contains(other.toString()), message);
    }

    @Test
    void entriesLeavingTheTreeAreRefused() throws IOException {
        assertTrue(refused(E.file("site/../outside", "x")).contains("leads out with .."));
        assertTrue(refused(E.file("/tmp/abs", "x")).contains("absolute"));
        assertTrue(refused(E.file("other/file", "x")).contains("is not under site/"));
    }

    @Test
    void devicesAndFifosAreRefused() throws IOException {
        assertTrue(refused(new E("site/null", TarArchiveEntry.LF_CHR, null)).contains("a device"));
        assertTrue(refused(new E("site/disk", TarArchiveEntry.LF_BLK, null)).contains("a device"));
        assertTrue(refused(new E("site/pipe", TarArchiveEntry.LF_FIFO, null)).contains("a FIFO"));
    }

    @Test
    void linksPointingOutAreRefused() throws IOException {
        assertTrue(refused(E.symlink("site/passwd", "/etc/passwd")).contains("outside the directory"));
        assertTrue(refused(E.symlink("site/up", "../../outside")).contains("outside the directory"));
        assertTrue(refused(E.symlink("site/up", "..")).contains("outside the directory"));
        assertTrue(refused(E.hardlink("site/h", "/etc/passwd")).contains("absolute"));
        assertTrue(refused(E.hardlink("site/h", "site/../../outside")).contains("leads out"));
        assertTrue(refused(E.hardlink("site/h", "site/none")).contains("no file unpacked before it"));
    }

    @Test
    void nothingIsWrittenThroughALinkTheTarMade() throws IOException {
        String message = refused(E.dir("site/"), E.dir("site/real/"), E.symlink("site/l", "real"), E.file("site/l/f", "x"));
        assertTrue(message.contains("through the symbolic link site/l"), message);
        assertFalse(Files.exists(root.resolve("real/f")));
        // A later entry of the link's own name does not replace it to follow it either.
        assertThrows(IOException.class, () -> unpack(tar(E.symlink("site/l", "real"), E.file("site/l", "x")), null));
        try (Stream<Path> files = Files.list(root.resolve("real"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aLayerExpandingPastTheArchiveLimitsIsRefusedAsABomb() throws IOException {
        String zeros = "\0".repeat(2 << 20);
        String message = assertThrows(TarUnpack.Refused.class, () -> unpack(tar(E.dir("site/"), E.file("site/zeros", zeros)), null))
                .getMessage();
        assertTrue(message.contains("REGCTL_ARCHIVE_MAX"), message);
    }
}
