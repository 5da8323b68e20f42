package dev.regctl.ops.append;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddedPathTest {

    @Test
    void withoutDestinationTheNameGoesUnderTheRoot() {
        assertEquals(new AddedPath(Path.of("build/app.jar"), "/app.jar"), AddedPath.parse("build/app.jar"));
        assertEquals("/conf", AddedPath.parse("./conf/").destination());
    }

    @Test
    void destinationIsAfterTheLastColonBeforeASlash() {
        assertEquals(new AddedPath(Path.of("app.jar"), "/opt/app/app.jar"), AddedPath.parse("app.jar:/opt/app/app.jar"));
        assertEquals(new AddedPath(Path.of("a:b"), "/x"), AddedPath.parse("a:b:/x"), "colons in SRC stay in SRC");
    }

    @Test
    void aDestinationEndingInSlashIsADirectoryToPutTheSourceIn() {
        assertEquals("/opt/app/app.jar", AddedPath.parse("build/app.jar:/opt/app/").destination());
        assertEquals("/", AddedPath.parse("rootfs:/").destination(), "DEST / takes a directory's contents into the root");
    }

    @Test
    void destinationsAreNormalised() {
        assertEquals("/etc/app", AddedPath.parse("conf:/opt/../etc//app/.").destination());
    }

    @Test
    void aRelativeOrEmptyDestinationIsBadUsageSayingDestMustBeAbsolute() {
        RegctlException relative = assertThrows(RegctlException.class, () -> AddedPath.parse("tool.sh:relative/path"));
        assertEquals(RegctlException.Kind.USAGE, relative.kind());
        assertEquals("--add tool.sh:relative/path: DEST \"relative/path\" must be absolute, a path in the image from /",
                relative.getMessage());
        assertEquals("--add tool.sh:/relative/path", relative.hint());

        RegctlException empty = assertThrows(RegctlException.class, () -> AddedPath.parse("tool.sh:"));
        assertEquals("--add tool.sh:: DEST is empty", empty.getMessage());
    }

    @Test
    void aSourceWhoseNameHasAColonIsStillASource(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a:b"), "x");
        assertEquals(new AddedPath(file, "/a:b"), AddedPath.parse(file.toString()));
    }

    @Test
    void aDestinationClimbingAboveTheRootOrAnEmptySourceIsBadUsage() {
        assertEquals(RegctlException.Kind.USAGE, assertThrows(RegctlException.class, () -> AddedPath.parse("a:/../x")).kind());
        assertEquals(RegctlException.Kind.USAGE, assertThrows(RegctlException.class, () -> AddedPath.parse(":/x")).kind());
    }
}
