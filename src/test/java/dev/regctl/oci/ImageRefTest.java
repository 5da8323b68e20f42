package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageRefTest {

    @Test
    void layoutPrefixesGiveLayoutReferences() {
        assertEquals(new LayoutReference(Path.of("/tmp/l"), "v1"), ImageRef.parse("oci:/tmp/l:v1"));
        assertEquals(new LayoutReference(Path.of("/tmp/l"), null), ImageRef.parse("ocidir:///tmp/l"));
    }

    @Test
    void everythingElseIsARegistryReference() {
        assertEquals(Reference.parse("redis"), ImageRef.parse("redis"));
        assertEquals(Reference.parse("ghcr.io/o/r:v1"), ImageRef.parse("docker://ghcr.io/o/r:v1"));
        assertInstanceOf(Reference.class, ImageRef.parse("localhost:5000/oci:v1"));
    }

    @Test
    void invalidInputFailsAsUsage() {
        assertEquals(RegctlException.Kind.USAGE,
                assertThrows(RegctlException.class, () -> ImageRef.parse("Foo/Bar")).kind());
        assertEquals(RegctlException.Kind.USAGE,
                assertThrows(RegctlException.class, () -> ImageRef.parse("oci:")).kind());
        assertEquals(RegctlException.Kind.USAGE,
                assertThrows(RegctlException.class, () -> ImageRef.parse(null)).kind());
    }
}
