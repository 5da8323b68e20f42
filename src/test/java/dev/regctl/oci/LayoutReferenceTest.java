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
            # input                        | path                 | tag    | toString
            oci:/tmp/layout                | /tmp/layout          | NULL   | oci:/tmp/layout
            oci:/tmp/layout:v1             | /tmp/layout          | v1     | oci:/tmp/layout:v1
            ocidir:///tmp/layout:v1        | /tmp/layout          | v1     | oci:/tmp/layout:v1
            ocidir://relative/dir          | relative/dir         | NULL   | oci:relative/dir
            oci:relative/dir:1.0-rc_2      | relative/dir         | 1.0-rc_2 | oci:relative/dir:1.0-rc_2
            oci:layout:latest              | layout               | latest | oci:layout:latest
            oci:./out/                     | ./out                | NULL   | oci:./out
            oci:/a:b/c                     | /a:b/c               | NULL   | oci:/a:b/c
            oci:/a:b/c:v2                  | /a:b/c               | v2     | oci:/a:b/c:v2
            oci:dir:                       | dir:                 | NULL   | oci:dir:
            oci:dir:-x                     | dir:-x               | NULL   | oci:dir:-x
            oci::v1                        | :v1                  | NULL   | oci::v1
            oci:my images/app:v1           | my images/app        | v1     | oci:my images/app:v1
            """)
    void parses(String input, String path, String tag, String string) {
        LayoutReference r = LayoutReference.parse(input);
        assertAll(
                () -> assertEquals(Path.of(path), r.path(), "path"),
                () -> assertEquals(tag, r.tag(), "tag"),
                () -> assertEquals(string, r.toString(), "toString"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # input             | the message must contain
            oci:                | missing directory
            ocidir://           | missing directory
            redis:latest        | expected oci:PATH[:TAG] or ocidir://PATH[:TAG]
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
        assertEquals("oci:/x:v1", new LayoutReference(Path.of("/x"), "v1").toString());
        assertThrows(RegctlException.class, () -> new LayoutReference(Path.of("/x"), "bad tag"));
        assertThrows(RegctlException.class, () -> new LayoutReference(null, "v1"));
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
