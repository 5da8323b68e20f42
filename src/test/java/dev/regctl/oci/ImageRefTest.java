package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageRefTest {

    @Test
    void layoutPrefixesGiveLayoutReferences() {
        assertEquals(new LayoutReference(Path.of("/tmp/l"), "v1", null), ImageRef.parse("oci:/tmp/l:v1"));
        assertEquals(new LayoutReference(Path.of("/tmp/l")), ImageRef.parse("ocidir:///tmp/l"));
    }

    @Test
    void everythingElseIsARegistryReference() {
        assertEquals(Reference.parse("redis"), ImageRef.parse("redis"));
        assertEquals(Reference.parse("ghcr.io/o/r:v1"), ImageRef.parse("docker://ghcr.io/o/r:v1"));
        assertInstanceOf(Reference.class, ImageRef.parse("localhost:5000/oci:v1"));
    }

    @Test
    void whatAStoreCanHoldIsAskedOfTheReferenceNotOfItsKind() {
        ImageRef registry = ImageRef.parse("localhost:5000/app:v1");
        ImageRef layout = ImageRef.parse("oci:/tmp/l:v1");
        ImageRef ociArchive = ImageRef.parse("oci-archive:/tmp/a.tar:v1");
        ImageRef dockerArchive = ImageRef.parse("docker-archive:/tmp/d.tar:app:v1");

        assertFalse(registry.writtenWhole() || layout.writtenWhole());
        assertTrue(ociArchive.writtenWhole() && dockerArchive.writtenWhole(), "an archive is never added to in place");

        assertEquals(Optional.of(ManifestFormat.V2S2), dockerArchive.onlyFormat());
        assertTrue(registry.onlyFormat().isEmpty() && layout.onlyFormat().isEmpty() && ociArchive.onlyFormat().isEmpty());

        assertTrue(layout.isOciLayout() && ociArchive.isOciLayout());
        assertFalse(registry.isOciLayout() || dockerArchive.isOciLayout());
    }

    @Test
    void withDigestOnlyNamesTheManifestInTheSameStoreWithoutTheTag() {
        Digest digest = Digest.parse("sha256:" + "ab".repeat(32));
        assertEquals(ImageRef.parse("localhost:5000/app@" + digest), ImageRef.parse("localhost:5000/app:v1").withDigestOnly(digest));
        assertEquals(ImageRef.parse("oci:/tmp/l@" + digest), ImageRef.parse("oci:/tmp/l:v1").withDigestOnly(digest));
        assertEquals(ImageRef.parse("oci-archive:/tmp/a.tar@" + digest),
                ImageRef.parse("oci-archive:/tmp/a.tar:v1").withDigestOnly(digest));
        assertEquals(ImageRef.parse("oci:/tmp/l"), ImageRef.parse("oci:/tmp/l:v1").withDigestOnly(null), "the store itself");
    }

    @Test
    void everyKindAnswersTheSameQuestions() {
        String digest = "sha256:" + "ab".repeat(32);
        ImageRef hub = ImageRef.parse("redis");
        ImageRef layout = ImageRef.parse("oci:/tmp/l");
        assertEquals(ImageRef.StoreKind.REGISTRY, hub.kind());
        assertEquals(ImageRef.StoreKind.LAYOUT, layout.kind());
        assertFalse(hub.namesImage(), "no tag given: the repository, read as :latest");
        assertEquals("latest", hub.lookup());
        assertNull(hub.tag());
        assertEquals("docker.io/library/redis:latest", hub.toString());
        assertFalse(layout.namesImage());
        assertNull(layout.lookup(), "a layout without tag means its only image");
        assertTrue(ImageRef.parse("redis:7").namesImage());
        assertTrue(ImageRef.parse("oci:/tmp/l@" + digest).namesImage());
        assertEquals(digest, ImageRef.parse("oci:/tmp/l@" + digest).lookup());
        assertEquals("docker.io/library/hello:1.0", ImageRef.parse("oci:/tmp/l:docker.io/library/hello:1.0").lookup());
    }

    @Test
    void sameRepositoryComparesTheStoreNotTheImage() {
        assertTrue(ImageRef.parse("redis:6").sameRepository(ImageRef.parse("docker.io/library/redis@sha256:" + "0".repeat(64))));
        assertFalse(ImageRef.parse("redis").sameRepository(ImageRef.parse("ghcr.io/library/redis")));
        assertTrue(ImageRef.parse("oci:/tmp/x/../l:a").sameRepository(ImageRef.parse("oci:/tmp/l:b")));
        assertFalse(ImageRef.parse("oci:/tmp/l").sameRepository(ImageRef.parse("localhost/tmp/l")));
    }

    @Test
    void aCopyWritesUnderTheTagGivenElseTheDefaultOfItsKind() {
        String digest = "sha256:" + "ab".repeat(32);
        assertEquals("latest", ImageRef.parse("localhost:5000/app").tagForCopyOf("v1"), "docker's default");
        assertEquals("v2", ImageRef.parse("localhost:5000/app:v2").tagForCopyOf("v1"));
        assertNull(ImageRef.parse("localhost:5000/app@" + digest).tagForCopyOf("v1"), "by digest only");
        assertEquals("v1", ImageRef.parse("oci:/tmp/l").tagForCopyOf("v1"), "a layout keeps the source's name");
        assertNull(ImageRef.parse("oci:/tmp/l").tagForCopyOf(digest));
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
