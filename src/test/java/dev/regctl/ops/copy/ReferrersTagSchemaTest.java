package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.DeletePlan;
import dev.regctl.ops.Deleter;
import dev.regctl.ops.Images.Image;
import dev.regctl.ops.Images;
import dev.regctl.ops.MemoryStore;
import dev.regctl.store.ImageStore;
import dev.regctl.testing.ForwardingStore;
import dev.regctl.testing.ImageParts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The referrers tag schema on stores without the referrers API: copy and delete keep the
 * {@code sha256-<hex>} index of a subject listing exactly its referrers, and a stale entry in a
 * source's index does not stop a copy.
 */
class ReferrersTagSchemaTest {
    private static final String SIG = "application/vnd.example.sig";
    private static final CopyOptions REFERRERS = new CopyOptions(List.of(), false, true, 2);
    private static final CopyOptions PLAIN = new CopyOptions(List.of(), false, false, 2);

    private final MemoryStore source = new MemoryStore("src");
    private final MemoryStore target = new MemoryStore("dst");

    private static CopyRequest request(String src, String dst) {
        return CopyRequest.parse(src, dst, false);
    }

    private static Descriptor typed(RawManifest m, String artifactType) {
        return new Descriptor(m.mediaType(), m.digest(), m.size(), null, artifactType, null, null);
    }

    private static List<String> listed(MemoryStore store, Digest subject) {
        return store.fetchManifest(ReferrerTags.fallback(subject)).index().manifests().stream()
                .map(d -> d.digest().toString()).toList();
    }

    private CopyResult copy(CopyOptions options, String src, String dst) {
        Copier copier = new Copier(source, target, null, options);
        return copier.execute(copier.plan(request(src, dst)), CopyListener.NONE);
    }

    @Test
    void aTagSchemaEntryWhoseManifestWasDeletedIsAWarningAndTheRestIsCopied() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(source, image.manifest().descriptor(), SIG, "sig", null);
        RawManifest gone = Images.referrer(new MemoryStore("elsewhere"), image.manifest().descriptor(), SIG, "old", null);
        Images.tagSchemaIndex(source, image.digest(), typed(sig, SIG), typed(gone, SIG));

        Copier copier = new Copier(source, target, null, REFERRERS);
        CopyPlan plan = copier.plan(request("r.example/a:v1", "r.example/b:v1"));
        copier.execute(plan, CopyListener.NONE);

        assertEquals(1, plan.warnings().size(), plan.warnings().toString());
        assertTrue(plan.warnings().get(0).contains(gone.digest().toString()), plan.warnings().get(0));
        assertTrue(plan.warnings().get(0).contains("(" + gone.mediaType() + ", artifactType " + SIG + ")"),
                "the warning says what was not copied: " + plan.warnings().get(0));
        assertTrue(target.hasManifest(sig.digest()));
        assertEquals(List.of(sig.digest().toString()), listed(target, image.digest()),
                "the target lists what was copied, not the stale entry");
    }

    @Test
    void aReferrersIndexTheTargetRefusesFailsTheReferrersStepAfterEverythingElseIsPushed() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(source, image.manifest().descriptor(), SIG, "sig", null);
        Images.tagSchemaIndex(source, image.digest(), typed(sig, SIG));
        String fallback = ReferrerTags.fallback(image.digest());
        ImageStore refusing = new ForwardingStore(target) {
            @Override
            public void putManifest(RawManifest manifest, String tag) {
                if (fallback.equals(tag)) {
                    throw new RegctlException(RegctlException.Kind.AUTH, "push manifest " + tag + ": denied");
                }
                super.putManifest(manifest, tag);
            }
        };

        Copier copier = new Copier(source, refusing, null, REFERRERS);
        CopyFailure e = assertThrows(CopyFailure.class,
                () -> copier.execute(copier.plan(request("r.example/a:v1", "r.example/b:v1")), CopyListener.NONE));

        assertEquals(CopyStep.REFERRERS, e.step());
        assertEquals(java.util.Optional.empty(), e.blob());
        assertEquals(RegctlException.Kind.AUTH, e.kind());
        assertTrue(target.hasManifest(sig.digest()), "the referrer itself was pushed");
    }

    /** ORAS 1.0 and notation's release candidates wrote OCI 1.1-rc artifact manifests: blobs, no config. */
    @Test
    void anArtifactManifestReferrerTravelsAsWhatItIsWithItsBlobs() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sbom = Images.artifactManifest(source, image.manifest().descriptor(), "application/spdx+json",
                "{\"spdxVersion\":\"SPDX-2.3\"}", null);
        Images.tagSchemaIndex(source, image.digest(), typed(sbom, "application/spdx+json"));

        Copier copier = new Copier(source, target, null, REFERRERS);
        CopyPlan plan = copier.plan(request("r.example/a:v1", "r.example/b:v1"));
        copier.execute(plan, CopyListener.NONE);

        assertEquals(List.of(), plan.warnings());
        RawManifest copied = target.fetchManifest(sbom.digest());
        assertEquals(MediaTypes.OCI_ARTIFACT_MANIFEST, copied.mediaType(), "pushed with its own media type");
        org.junit.jupiter.api.Assertions.assertArrayEquals(sbom.bytes(), copied.bytes(), "digest kept");
        Descriptor file = sbom.manifest().layers().get(0);
        assertTrue(target.calls("putBlob").contains("putBlob " + file.digest()), "its blob is copied: " + target.calls());
        int blobAt = target.calls().indexOf("putBlob " + file.digest());
        assertTrue(blobAt < target.calls().indexOf("putManifest " + sbom.digest()), "before the manifest that names it");
        assertEquals(List.of(sbom.digest().toString()), listed(target, image.digest()));
    }

    @Test
    void aRepositoryCopyWithReferrersWarnsAboutAStaleEntryInsteadOfCopyingTheFallbackTagAsAnImage() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(source, image.manifest().descriptor(), SIG, "sig", null);
        RawManifest gone = Images.referrer(new MemoryStore("elsewhere"), image.manifest().descriptor(), SIG, "old", null);
        Images.tagSchemaIndex(source, image.digest(), typed(sig, SIG), typed(gone, SIG));

        Copier copier = new Copier(source, target, null, REFERRERS);
        CopyPlan plan = copier.plan(CopyRequest.parse("r.example/a", "r.example/b", true));
        copier.execute(plan, CopyListener.NONE);

        assertEquals(1, plan.warnings().size(), plan.warnings().toString());
        assertTrue(target.hasManifest(sig.digest()));
        assertEquals(List.of(sig.digest().toString()), listed(target, image.digest()),
                "the target's index is built from what was copied, not copied from the source");
    }

    @Test
    void copyingAManifestWithASubjectListsItInTheTargetsTagSchemaIndexWithoutAskingForReferrers() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(source, image.manifest().descriptor(), SIG, "sig", "sig");
        copy(PLAIN, "r.example/a:v1", "r.example/b:v1");

        copy(PLAIN, "r.example/a:sig", "r.example/b:sig");
        copy(PLAIN, "r.example/a:sig", "r.example/b:sig");

        RawManifest index = target.fetchManifest(ReferrerTags.fallback(image.digest()));
        assertEquals(1, index.index().manifests().size(), "listed once however often it is copied");
        Descriptor entry = index.index().manifests().get(0);
        assertEquals(sig.digest(), entry.digest());
        assertEquals(SIG, entry.artifactType(), "entries carry the artifact type, as the referrers API reports it");
        assertEquals(sig.mediaType(), entry.mediaType());
        assertEquals(sig.size(), entry.size());
    }

    @Test
    void aNewReferrerIsAddedToWhatTheTargetAlreadyLists() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest theirs = Images.referrer(target, image.manifest().descriptor(), SIG, "theirs", null);
        Images.tagSchemaIndex(target, image.digest(), typed(theirs, SIG));
        RawManifest ours = Images.referrer(source, image.manifest().descriptor(), SIG, "ours", "sig");

        copy(PLAIN, "r.example/a:sig", "r.example/b:sig");

        assertEquals(List.of(theirs.digest().toString(), ours.digest().toString()), listed(target, image.digest()));
    }

    @Test
    void aTargetWithTheReferrersApiGetsNoTagSchemaIndex() {
        target.withReferrersApi();
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        Images.referrer(source, image.manifest().descriptor(), SIG, "sig", "sig");

        copy(PLAIN, "r.example/a:sig", "r.example/b:sig");

        assertNull(target.tagged(ReferrerTags.fallback(image.digest())));
    }

    @Test
    void aTagSchemaTagHoldingSomethingOtherThanAnIndexIsReportedNotOverwritten() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        Image squatter = Images.image(target, ReferrerTags.fallback(image.digest()), "linux/arm64", ImageParts.random(10, 2));
        Images.referrer(source, image.manifest().descriptor(), SIG, "sig", "sig");

        RegctlException e = assertThrows(RegctlException.class, () -> copy(PLAIN, "r.example/a:sig", "r.example/b:sig"));

        assertTrue(e.getMessage().contains(ReferrerTags.fallback(image.digest())), e.getMessage());
        assertEquals(squatter.digest().toString(), target.tagged(ReferrerTags.fallback(image.digest())));
    }

    @Test
    void deletingAReferrerTakesItOutOfItsSubjectsTagSchemaIndex() {
        Image image = Images.image(target, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest one = Images.referrer(target, image.manifest().descriptor(), SIG, "one", "one");
        RawManifest two = Images.referrer(target, image.manifest().descriptor(), SIG, "two", "two");
        Images.tagSchemaIndex(target, image.digest(), typed(one, SIG), typed(two, SIG));
        Deleter deleter = new Deleter(target);
        target.clearCalls();

        DeletePlan plan = deleter.planManifest("one");
        assertEquals(image.digest(), plan.subject());
        assertEquals(List.of(), target.calls("putManifest"), "planning (and so --dry-run) writes nothing");
        deleter.execute(plan);
        assertEquals(List.of(two.digest().toString()), listed(target, image.digest()));

        deleter.execute(deleter.planManifest(two.digest().toString()));
        // The spec has the client push the updated list; deleting the tag is optional (MAY), and
        // where a registry cannot untag, would mean deleting an empty index other subjects share.
        assertEquals(List.of(), listed(target, image.digest()));
        assertTrue(target.hasManifest(image.digest()));
    }

    @Test
    void deletingAReferrerWhereTheStoreHasTheReferrersApiWritesNoIndex() {
        target.withReferrersApi();
        Image image = Images.image(target, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(target, image.manifest().descriptor(), SIG, "sig", "sig");
        target.clearCalls();

        new Deleter(target).execute(new Deleter(target).planManifest(sig.digest().toString()));

        assertEquals(List.of(), target.calls("putManifest"));
        assertNull(target.tagged(ReferrerTags.fallback(image.digest())));
    }

    @Test
    void deletingAnImageWithoutSubjectTouchesNoIndex() {
        Image image = Images.image(target, "v1", "linux/amd64", ImageParts.random(10, 1));
        target.clearCalls();

        DeletePlan plan = new Deleter(target).planManifest("v1");
        new Deleter(target).execute(plan);

        assertNull(plan.subject());
        assertEquals(List.of(), target.calls("putManifest"));
        assertEquals(List.of(), target.calls("referrers"));
        assertTrue(!target.hasManifest(image.digest()));
    }
}
