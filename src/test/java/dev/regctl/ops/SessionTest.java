package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.store.ImageStore;
import dev.regctl.store.RegistryRepository;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The door: what each access mode lets a store do to what is on disk, and what an opened store
 * answers in place of its reference's kind. Opening a registry repository makes no request.
 */
class SessionTest {
    @TempDir
    Path dir;

    private Session session;

    @BeforeEach
    void open() {
        session = new Session(new Session.Options(dir.resolve("docker"), false, null, Map.of()), List.of());
    }

    @AfterEach
    void close() {
        session.close();
    }

    private ImageStore open(String ref, Session.Access access) {
        return session.open(ImageRef.parse(ref), access);
    }

    @Test
    void readingOrChangingAMissingLayoutFailsAndMakesNothing() {
        Path missing = dir.resolve("missing");
        for (Session.Access access : List.of(Session.Access.READ, Session.Access.CHANGE)) {
            RegctlException e = assertThrows(RegctlException.class, () -> open("oci:" + missing, access));
            assertEquals(RegctlException.Kind.NOT_FOUND, e.kind(), access.name());
            assertFalse(Files.exists(missing), access + " made the directory");
        }
    }

    @Test
    void creatingALayoutWritesNothingUntilTheFirstWrite() {
        Path layout = dir.resolve("new");
        try (ImageStore store = open("oci:" + layout + ":v1", Session.Access.CREATE)) {
            assertFalse(Files.exists(layout), "opened for a dry run, nothing is written");
            byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
            store.putBlob(new Descriptor("application/vnd.oci.image.config.v1+json", Digest.sha256(config), config.length),
                    new ByteArrayInputStream(config));
        }
        assertTrue(Files.isRegularFile(layout.resolve("oci-layout")));
        try (ImageStore changed = open("oci:" + layout, Session.Access.CHANGE)) {
            assertTrue(changed.listTags().isEmpty(), "the layout made is the one opened to change");
        }
    }

    @Test
    void aRepositorySaysWhereItIsAndALayoutThatItIsOnNoRegistry() {
        try (ImageStore repo = open("127.0.0.1:5000/team/app:v1", Session.Access.READ);
             ImageStore layout = open("oci:" + dir.resolve("l"), Session.Access.CREATE)) {
            assertEquals(Optional.of(new RegistryRepository("127.0.0.1:5000", "team/app")), repo.onRegistry());
            assertEquals(Optional.empty(), layout.onRegistry());
            assertEquals(Optional.empty(), layout.rateLimit("v1"), "a layout counts no pulls, and asks nothing");
        }
    }

    @Test
    void knownTagsAreNoneForAStoreNotMadeYetAndUnknownWhereListingIsRefused() {
        try (ImageStore fresh = open("oci:" + dir.resolve("fresh") + ":v1", Session.Access.CREATE)) {
            assertEquals(Optional.of(Set.of()), fresh.knownTags());
        }
        MemoryStore robot = new MemoryStore("r.example/team/app");
        Fixtures.image(robot, "v1", "2024-01-01T00:00:00Z", "one");
        assertEquals(Optional.of(Set.of("v1")), robot.knownTags());
        robot.refuseListing();
        assertEquals(Optional.empty(), robot.knownTags(), "a push-only account: look each image up instead");
    }

    @Test
    void blobsMountFromAnotherRepositoryOfTheSameRegistryOnly() {
        try (ImageStore source = open("127.0.0.1:5000/team/app:v1", Session.Access.READ);
             ImageStore sibling = open("127.0.0.1:5000/team/copy:v1", Session.Access.CREATE);
             ImageStore same = open("127.0.0.1:5000/team/app:v2", Session.Access.CREATE);
             ImageStore elsewhere = open("127.0.0.1:5001/team/copy:v1", Session.Access.CREATE);
             ImageStore layout = open("oci:" + dir.resolve("l"), Session.Access.CREATE)) {
            assertEquals("team/app", sibling.mountFrom(source));
            assertNull(same.mountFrom(source), "the same repository has its blobs already");
            assertNull(elsewhere.mountFrom(source), "another registry cannot mount from this one");
            assertNull(layout.mountFrom(source));
            assertNull(sibling.mountFrom(layout));
        }
    }
}
