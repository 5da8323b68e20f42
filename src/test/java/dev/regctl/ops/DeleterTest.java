package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** delete against an OCI layout, whose index.json shows exactly what is left. */
class DeleterTest {
    @TempDir
    Path dir;

    private OciLayoutStore store;
    private RawManifest shared;
    private RawManifest other;

    @BeforeEach
    void layout() {
        store = OciLayoutStore.create(dir);
        shared = Fixtures.image(store, "v1", "2024-01-01T00:00:00Z", "shared");
        store.putManifest(shared, "stable");
        store.putManifest(shared, "latest");
        other = Fixtures.image(store, "v2", "2024-02-01T00:00:00Z", "other");
    }

    @Test
    void deletingByTagPlansEveryTagOnTheManifestThenRemovesThemAll() {
        Deleter deleter = new Deleter(store);
        DeletePlan plan = deleter.planManifest("stable");
        assertEquals(new DeletePlan(store.name(), shared.digest(), List.of("latest", "stable", "v1"), true), plan);
        assertEquals(List.of("v1", "stable", "latest", "v2"), store.listTags(), "planning changes nothing");

        deleter.execute(plan);
        assertEquals(List.of("v2"), store.listTags());
        assertTrue(store.headManifest(other.digest().toString()).isPresent());
    }

    @Test
    void aTagSharingItsManifestWithOtherTagsIsRefusedNamingThemAndNothingIsDeleted() {
        RegctlException e = assertThrows(RegctlException.class, () -> new Deleter(store).planManifest("stable", false));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("delete " + store.name() + ":stable: its manifest " + shared.digest() + " is also tagged latest, v1,"
                + " which would be deleted with it; nothing was deleted", e.getMessage());
        assertEquals("--tag-only removes only stable; --force deletes the manifest with all 3 tags", e.hint());
        assertEquals(List.of("v1", "stable", "latest", "v2"), store.listTags());
    }

    @Test
    void forceADigestOrAnOnlyTagPlanTheWholeManifest() {
        Deleter deleter = new Deleter(store);
        assertEquals(List.of("latest", "stable", "v1"), deleter.planManifest("stable", true).tags());
        assertEquals(List.of("latest", "stable", "v1"), deleter.planManifest(shared.digest().toString(), false).tags(),
                "a digest names the manifest itself");
        DeletePlan only = deleter.planManifest("v2", false);
        assertEquals(List.of("v2"), only.tags());
        assertTrue(only.manifest());
    }

    @Test
    void deletingByDigestFindsTheTagsToo() {
        DeletePlan plan = new Deleter(store).planManifest(other.digest().toString());
        assertEquals(List.of("v2"), plan.tags());
        assertTrue(plan.manifest());
    }

    @Test
    void tagOnlyRemovesOneTagAndKeepsTheManifestAndItsOtherTags() {
        Deleter deleter = new Deleter(store);
        DeletePlan plan = deleter.planTag("stable");
        assertEquals(new DeletePlan(store.name(), shared.digest(), List.of("stable"), false), plan);
        deleter.execute(plan);
        assertEquals(List.of("v1", "latest", "v2"), store.listTags());
        assertEquals(shared.digest(), store.headManifest("latest").orElseThrow().digest());
    }

    @Test
    void removingTheLastTagKeepsTheManifestReachableByDigest() {
        new Deleter(store).execute(new Deleter(store).planTag("v2"));
        assertFalse(store.listTags().contains("v2"));
        assertEquals(other.digest(), store.fetchManifest(other.digest().toString()).digest(),
                "an untagged index.json entry still holds it");
    }

    @Test
    void anUnknownReferenceIsNotFound() {
        RegctlException tag = assertThrows(RegctlException.class, () -> new Deleter(store).planManifest("nope"));
        assertEquals(RegctlException.Kind.NOT_FOUND, tag.kind());
        RegctlException untag = assertThrows(RegctlException.class, () -> store.deleteTag("nope"));
        assertEquals(RegctlException.Kind.NOT_FOUND, untag.kind());
    }
}
