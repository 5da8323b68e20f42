package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayoutReferenceTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            # input                              | path          | tag                         | digest | toString
            oci:/tmp/layout                      | /tmp/layout   | NULL                        | NULL   | oci:/tmp/layout
            oci:/tmp/layout:v1                   | /tmp/layout   | v1                          | NULL   | oci:/tmp/layout:v1
            ocidir:///tmp/layout:v1              | /tmp/layout   | v1                          | NULL   | oci:/tmp/layout:v1
            ocidir://relative/dir                | relative/dir  | NULL                        | NULL   | oci:relative/dir
            oci:relative/dir:1.0-rc_2            | relative/dir  | 1.0-rc_2                    | NULL   | oci:relative/dir:1.0-rc_2
            oci:layout:latest                    | layout        | latest                      | NULL   | oci:layout:latest
            oci:./out/                           | ./out         | NULL                        | NULL   | oci:./out
            oci:/a:b/c                           | /a            | b/c                         | NULL   | oci:/a:b/c
            oci:/a:b/c:v2                        | /a            | b/c:v2                      | NULL   | oci:/a:b/c:v2
            oci:dir:docker.io/library/hello:1.0  | dir           | docker.io/library/hello:1.0 | NULL   | oci:dir:docker.io/library/hello:1.0
            oci:my images/app:v1                 | my images/app | v1                          | NULL   | oci:my images/app:v1
            oci:/tmp/l@sha256:HEX                | /tmp/l        | NULL                        | sha256:HEX | oci:/tmp/l@sha256:HEX
            oci:/tmp/a@b                         | /tmp/a@b      | NULL                        | NULL   | oci:/tmp/a@b
            """)
    void parses(String input, String path, String tag, String digest, String string) {
        LayoutReference r = LayoutReference.parse(hex(input));
        assertAll(
                () -> assertEquals(Path.of(path), r.path(), "path"),
                () -> assertEquals(tag, r.tag(), "tag"),
                () -> assertEquals(hex(digest), r.digest() == null ? null : r.digest().toString(), "digest"),
                () -> assertEquals(hex(string), r.toString(), "toString"));
    }

    private static String hex(String s) {
        return s == null ? null : s.replace("HEX", "ab".repeat(32));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # input             | the message must contain
            oci:                | missing directory
            ocidir://           | missing directory
            redis:latest        | expected oci:DIR[:TAG] or oci:DIR@DIGEST
            oci:dir:            | empty tag
            oci:dir:-x          | not a valid ref.name
            oci::v1             | missing directory
            oci:dir:a b         | not a valid ref.name
            """)
    void rejects(String input, String expected) {
        RegctlException e = assertThrows(RegctlException.class, () -> LayoutReference.parse(input));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("invalid OCI layout reference \"" + input + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void rejectsControlCharactersAndNulOnOneLine() {
        RegctlException newline = assertThrows(RegctlException.class, () -> LayoutReference.parse("oci:/tmp/x\ny"));
        assertTrue(newline.getMessage().contains("control character at position 11"), newline.getMessage());
        assertFalse(newline.getMessage().contains("\n"), newline.getMessage());
        assertThrows(RegctlException.class, () -> LayoutReference.parse("oci:/tmp/\0x"));
    }

    @Test
    void constructorValidatesTag() {
        assertEquals("oci:/x:v1", new LayoutReference(Path.of("/x"), "v1", null).toString());
        assertThrows(RegctlException.class, () -> new LayoutReference(Path.of("/x"), "bad tag", null));
        assertThrows(RegctlException.class, () -> new LayoutReference(null, "v1", null));
    }

    @Test
    void isLayoutLooksOnlyAtThePrefix() {
        assertTrue(LayoutReference.isLayout("oci:x"));
        assertTrue(LayoutReference.isLayout("ocidir://x"));
        assertFalse(LayoutReference.isLayout("docker://x"));
        assertFalse(LayoutReference.isLayout("ghcr.io/oci:v1"));
        assertFalse(LayoutReference.isLayout(null));
    }
}
