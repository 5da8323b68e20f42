package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** skopeo's archive reference syntax: PATH ends at the first colon, the rest names the image inside. */
class ArchiveReferenceTest {

    @Test
    void pathEndsAtTheFirstColon() {
        ArchiveReference docker = ArchiveReference.parse("docker-archive:/tmp/app.tar:localhost:5000/app:1");
        assertEquals(Path.of("/tmp/app.tar"), docker.path());
        assertEquals("localhost:5000/app:1", docker.name());
        ArchiveReference oci = ArchiveReference.parse("oci-archive:/tmp/app.tar:docker.io/library/hello:1.0");
        assertEquals("docker.io/library/hello:1.0", oci.tag());
        assertInstanceOf(ArchiveReference.class, ImageRef.parse("oci-archive:x.tar"));
        assertEquals(ImageRef.StoreKind.ARCHIVE, ImageRef.parse("docker-archive:x.tar").kind());
    }

    @Test
    void dockerNamesAreKeptInDockersShortForm() {
        assertEquals("app:1", ArchiveReference.parse("docker-archive:a.tar:docker.io/library/app:1").name());
        ArchiveReference repository = ArchiveReference.parse("docker-archive:a.tar:app");
        assertFalse(repository.namesImage(), "a repository, for --all-tags");
        assertEquals("app:latest", repository.tagForCopyOf("1"), "one image: :latest, as skopeo reads it");
        assertTrue(ArchiveReference.parse("docker-archive:a.tar:app:2").namesImage());
    }

    /** {@code docker save ID1 ID2} names no image: skopeo's {@code @N} picks one by its place in manifest.json. */
    @Test
    void anImageOfADockerArchiveByItsPlace() {
        ArchiveReference second = ArchiveReference.parse("docker-archive:/tmp/ids.tar:@1");
        assertEquals(1, second.sourceIndex());
        assertNull(second.name());
        assertNull(second.lookup(), "the store's image @1 is its only image");
        assertTrue(second.namesImage(), "one image, not a repository for --all-tags");
        assertEquals("docker-archive:/tmp/ids.tar:@1", second.toString());
        for (String bad : new String[] {"docker-archive:a.tar:@", "docker-archive:a.tar:@-1", "docker-archive:a.tar:@x",
            "docker-archive:a.tar:@1:app", "oci-archive:a.tar:@1"}) {
            RegctlException e = assertThrows(RegctlException.class, () -> ArchiveReference.parse(bad), bad);
            assertEquals(RegctlException.Kind.USAGE, e.kind(), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /** A bare tag in a docker archive is one of the repository it was named with, so one image is looked up whole. */
    @Test
    void aDockerArchiveImageIsLookedUpByItsWholeName() {
        assertEquals("app:latest", ArchiveReference.parse("docker-archive:a.tar:app").lookup());
        assertEquals("example.com/app:1", ArchiveReference.parse("docker-archive:a.tar:example.com/app:1").lookup());
        assertEquals("1", ArchiveReference.parse("oci-archive:a.tar:1").lookup());
    }

    @Test
    void theTagACopyWritesUnder() {
        ArchiveReference docker = ArchiveReference.parse("docker-archive:a.tar");
        assertNull(docker.tagForCopyOf("1"), "a bare registry tag names nothing in a docker archive");
        assertEquals("app:1", docker.tagForCopyOf("app:1"));
        assertEquals("1", ArchiveReference.parse("oci-archive:a.tar").tagForCopyOf("1"));
        assertNull(ArchiveReference.parse("oci-archive:a.tar").tagForCopyOf("sha256:" + "ab".repeat(32)));
    }

    @Test
    void digestsOnlyInOciArchives() {
        String digest = "sha256:" + "ab".repeat(32);
        assertEquals(Digest.parse(digest), ArchiveReference.parse("oci-archive:a.tar@" + digest).digest());
        RegctlException e = assertThrows(RegctlException.class, () -> ArchiveReference.parse("docker-archive:a.tar@" + digest));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
    }

    @Test
    void badInputIsOneUsageLine() {
        for (String bad : new String[] {"docker-archive:", "oci-archive::x", "docker-archive:a.tar:", "docker-archive:a.tar:UPPER",
            "oci-archive:a.tar:bad name", "docker-archive:a\u0001.tar"}) {
            RegctlException e = assertThrows(RegctlException.class, () -> ImageRef.parse(bad), bad);
            assertEquals(RegctlException.Kind.USAGE, e.kind(), bad);
            assertTrue(e.getMessage().startsWith("invalid archive reference"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void fieldsForRefJson() {
        assertEquals("{archive=a.tar, format=docker, tag=app:1, digest=null, index=null}",
                ArchiveReference.parse("docker-archive:a.tar:app:1").fields().toString());
        assertEquals("{archive=a.tar, format=docker, tag=null, digest=null, index=1}",
                ArchiveReference.parse("docker-archive:a.tar:@1").fields().toString());
        assertTrue(ArchiveReference.parse("oci-archive:a.tar").sameRepository(ImageRef.parse("oci-archive:./a.tar")));
        assertFalse(ArchiveReference.parse("oci-archive:a.tar").sameRepository(ImageRef.parse("docker-archive:a.tar")));
    }
}
