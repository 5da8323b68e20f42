package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.MemoryStore;
import dev.regctl.ops.sync.LayoutImages;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SRC and DST name, decided once: the rules every copy, sync and append run on. */
class ImageChoiceTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @TempDir
    Path tmp;

    private static ImageChoice choose(String src, String dst) {
        return ImageChoice.of(CopyRequest.parse(src, dst, false), new MemoryStore("src"));
    }

    @Test
    void aRegistryNameWithoutTagIsLatestOnBothSides() {
        ImageChoice c = choose("r.example/a", "r.example/b");
        assertEquals("latest", c.sourceReference());
        assertEquals("latest", c.targetTag());
        assertNull(c.checkTag());
        assertEquals("r.example/a:latest", c.sourceName());
        assertEquals("r.example/b:latest", c.destinationName(Digest.parse(DIGEST)));
    }

    @Test
    void aTagAndADigestCopyTheDigestWhileTheTagStillNamesIt() {
        ImageChoice c = choose("r.example/a:v1@" + DIGEST, "r.example/b@" + DIGEST);
        assertEquals(DIGEST, c.sourceReference());
        assertEquals("v1", c.checkTag());
        assertNull(c.targetTag(), "a digest alone writes no tag");
        assertEquals(Digest.parse(DIGEST), c.targetDigest());
    }

    @Test
    void aLayoutWithoutTagIsItsOnlyImageAndALayoutTargetKeepsItsTag() {
        Path layout = tmp.resolve("src");
        try (OciLayoutStore s = OciLayoutStore.create(layout)) {
            LayoutImages.image(s, "1.0", "linux/amd64", "a");
            ImageChoice c = ImageChoice.of(CopyRequest.parse("oci:" + layout, "oci:" + tmp.resolve("dst"), false), s);
            assertEquals("1.0", c.sourceReference());
            assertEquals("1.0", c.targetTag(), "a copy keeps the source's name in a layout");
            assertEquals("oci:" + tmp.resolve("dst") + ":1.0", c.destinationName(Digest.parse(DIGEST)));
        }
    }

    @Test
    void aNewImageIsLatestInALayoutTooAndCannotBeNamedByDigest() {
        assertEquals("latest", TargetTag.ofNewImage(ImageRef.parse("oci:" + tmp), "append"));
        assertEquals("v2", TargetTag.ofNewImage(ImageRef.parse("r.example/b:v2"), "append"));
        RegctlException e = assertThrows(RegctlException.class,
                () -> TargetTag.ofNewImage(ImageRef.parse("r.example/b@" + DIGEST), "append"));
        assertEquals("TARGET r.example/b@" + DIGEST + " names a digest, but append makes a new image", e.getMessage());
    }
}
