package dev.regctl.ops.append;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFilesTest {
    @TempDir
    Path dir;

    private Path file(String relative, String mode) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, relative);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aDirectoryIsReadSortedWithItsModesUnderTheDestination() throws IOException {
        file("app/z.sh", "rwxr-xr-x");
        file("app/a/secret", "rw-------");
        Files.setPosixFilePermissions(dir.resolve("app/a"), PosixFilePermissions.fromString("rwx------"));
        LayerFiles layer = SourceFiles.read(AddedPath.parse(dir.resolve("app") + ":/opt/app"));
        assertEquals("/opt/app", layer.name());
        assertEquals(List.of("/opt/app", "/opt/app/a", "/opt/app/a/secret", "/opt/app/z.sh"),
                layer.files().stream().map(LayerFiles.Entry::path).toList());
        assertEquals(List.of(0700, 0600, 0755),
                layer.files().subList(1, 4).stream().map(LayerFiles.Entry::mode).toList());
        assertTrue(layer.files().get(1).directory());
    }

    @Test
    void aFileBecomesTheDestination() throws IOException {
        Path f = file("bin/tool", "rwxr-x---");
        LayerFiles layer = SourceFiles.read(AddedPath.parse(f + ":/usr/local/bin/"));
        Object inode = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
        assertEquals(List.of(new LayerFiles.Entry(f.toRealPath(), "/usr/local/bin/tool", 0750, false, inode)), layer.files());
        assertEquals(f.toRealPath(), layer.root());
    }

    @Test
    void aMissingSourceALinkInsideOrASpecialFileIsBadUsage() throws IOException {
        RegctlException missing = assertThrows(RegctlException.class, () -> SourceFiles.read(AddedPath.parse(dir.resolve("nope").toString())));
        assertEquals(RegctlException.Kind.USAGE, missing.kind());
        assertTrue(missing.getMessage().contains("no such file or directory"), missing.getMessage());

        file("tree/ok", "rw-r--r--");
        Files.createSymbolicLink(dir.resolve("tree/link"), Path.of("/etc/passwd"));
        RegctlException link = assertThrows(RegctlException.class, () -> SourceFiles.read(AddedPath.parse(dir.resolve("tree").toString())));
        assertTrue(link.getMessage().contains("symbolic link"), link.getMessage());

        assertEquals(RegctlException.Kind.USAGE, assertThrows(RegctlException.class,
                () -> SourceFiles.read(AddedPath.parse("/dev/null:/null"))).kind());
    }

    @Test
    void aFileAtTheRootIsBadUsageWhileADirectorysContentsMayGoThere() throws IOException {
        Path f = file("tool.sh", "rwxr-xr-x");
        RegctlException root = assertThrows(RegctlException.class, () -> SourceFiles.read(AddedPath.parse(f + ":/")));
        assertEquals(RegctlException.Kind.USAGE, root.kind());
        assertEquals("--add " + f + ":/: a file cannot be the image's root directory", root.getMessage());
        assertEquals("give it a path: --add " + f + ":/tool.sh", root.hint());

        file("rootfs/etc/motd", "rw-r--r--");
        assertEquals(List.of("/etc", "/etc/motd"), SourceFiles.read(AddedPath.parse(dir.resolve("rootfs") + ":/")).files()
                .stream().map(LayerFiles.Entry::path).toList(), "no entry for / itself, which has no name in a tar");
    }

    @Test
    void aLinkNamedAsTheSourceIsFollowedAsTheUserAskedForIt() throws IOException {
        Path target = file("real.txt", "rw-r-----");
        Path link = Files.createSymbolicLink(dir.resolve("named"), target);
        LayerFiles layer = SourceFiles.read(AddedPath.parse(link + ":/etc/real.txt"));
        assertEquals(0640, layer.files().get(0).mode());
    }
}
