package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.Images.Image;
import dev.regctl.ops.Images;
import dev.regctl.ops.MemoryStore;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan.BlobStep;
import dev.regctl.ops.copy.CopyPlan.ManifestStep;
import dev.regctl.store.ocidir.NewLayoutStore;
import dev.regctl.store.ocidir.OciLayoutStore;
import dev.regctl.testing.ImageParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan decisions (skip, mount, upload), ordering and results, against in-memory and layout stores. */
class CopierTest {
    private static final CopyOptions DEFAULTS = new CopyOptions(List.of(), false, false, 4);

    @TempDir
    Path tmp;

    private final MemoryStore source = new MemoryStore("src");
    private final MemoryStore target = new MemoryStore("dst");

    private static CopyRequest request(String src, String dst) {
        return CopyRequest.parse(src, dst, false);
    }

    private CopyPlan plan(CopyOptions options, String src, String dst) {
        return new Copier(source, target, null, options).plan(request(src, dst));
    }

    /** One small image per platform, in the source, and an index of them tagged {@code tag}; the images in order. */
    private List<Image> indexed(String tag, String mediaType, String... platforms) {
        List<Image> images = new ArrayList<>();
        for (String platform : platforms) {
            images.add(Images.image(source, null, platform, ImageParts.random(10, images.size() + 1)));
        }
        Images.index(source, tag, mediaType, images.toArray(Image[]::new));
        return images;
    }

    /** The plan of copying {@code r.example/a:TAG} with {@code --platform} for each of {@code platforms}. */
    private CopyPlan planFor(String tag, String... platforms) {
        return plan(new CopyOptions(java.util.Arrays.stream(platforms).map(Platform::parse).toList(), false, false, 2),
                "r.example/a:" + tag, "r.example/b:v1");
    }

    private static Map<BlobAction, List<Digest>> actions(CopyPlan plan) {
        return plan.blobs().stream().collect(Collectors.groupingBy(BlobStep::action,
                Collectors.mapping(b -> b.blob().digest(), Collectors.toList())));
    }

    @Test
    void firstCopyUploadsEveryBlobThenTheTaggedManifest() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(1000, 1), ImageParts.random(2000, 2));
        Copier copier = new Copier(source, target, null, DEFAULTS);
        CopyPlan plan = copier.plan(request("reg.example/app:v1", "reg.example/copy:v2"));

        assertEquals(3, plan.count(BlobAction.UPLOAD));
        assertEquals(image.blobs().stream().mapToLong(Descriptor::size).sum(), plan.bytes(BlobAction.UPLOAD));
        assertEquals(List.of(new ManifestStep(image.manifest(), 0, true, List.of("v2"), List.of(), null)), plan.manifests());
        assertEquals(List.of(), target.calls("putBlob"), "planning writes nothing");

        CopyResult result = copier.execute(plan, CopyListener.NONE);

        assertEquals(image.digest().toString(), result.digest());
        assertEquals(new CopyResult.Blobs(3, 0, 0), result.blobs());
        assertEquals(1, result.manifests());
        assertEquals(3000 + image.blobs().get(0).size(), result.bytes());
        assertEquals(List.of("v2"), result.tags());
        assertEquals("reg.example/app:v1", result.source());
        assertEquals("reg.example/copy:v2", result.destination());
        assertFalse(result.digestChanged());
        assertEquals(image.digest().toString(), target.tagged("v2"));
        List<String> calls = target.calls().stream().filter(c -> c.startsWith("put")).toList();
        assertEquals("putManifest " + image.digest() + " v2", calls.get(calls.size() - 1), "the tag comes last: " + calls);
    }

    @Test
    void aManifestTheTargetHasIsSkippedWithoutLookingAtItsBlobs() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(100, 1));
        new Copier(source, target, null, DEFAULTS).execute(plan(DEFAULTS, "r.example/a:v1", "r.example/b:v1"), CopyListener.NONE);
        target.clearCalls();

        CopyPlan again = plan(DEFAULTS, "r.example/a:v1", "r.example/b:v1");

        assertEquals(List.of(), again.blobs());
        assertEquals(List.of(new ManifestStep(image.manifest(), 0, false, List.of(), List.of("v1"), null)), again.manifests());
        assertEquals(List.of(), target.calls("hasBlob"), "blobs of a present manifest are not even checked");
        CopyResult result = new Copier(source, target, null, DEFAULTS).execute(again, CopyListener.NONE);
        assertEquals(new CopyResult.Blobs(0, 0, 0), result.blobs());
        assertEquals(0, result.manifests());
        assertEquals(List.of(), target.calls("put"));
    }

    @Test
    void aPresentManifestUnderAnotherTagIsOnlyTagged() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(100, 1));
        target.putManifest(image.manifest(), "old");

        CopyPlan plan = plan(DEFAULTS, "r.example/a:v1", "r.example/b:new");

        assertEquals(List.of(new ManifestStep(image.manifest(), 0, false, List.of("new"), List.of(), null)), plan.manifests());
        CopyResult result = new Copier(source, target, null, DEFAULTS).execute(plan, CopyListener.NONE);
        assertEquals(0, result.manifests(), "a tag moved is not a manifest pushed");
        assertEquals(image.digest().toString(), target.tagged("new"));
    }

    @Test
    void aRepositoryCopyLooksUpByDigestOnlyTheImagesWhoseTagsTheTargetHas() {
        byte[] shared = ImageParts.random(300, 9);
        Image v1 = Images.image(source, "v1", "linux/amd64", shared, ImageParts.random(100, 1));
        Image v2 = Images.image(source, "v2", "linux/amd64", shared, ImageParts.random(100, 2));
        new Copier(source, target, null, DEFAULTS).execute(plan(DEFAULTS, "r.example/a:v1", "r.example/b:v1"), CopyListener.NONE);
        target.clearCalls();

        CopyPlan plan = new Copier(source, target, null, DEFAULTS).plan(CopyRequest.parse("r.example/a", "r.example/b", true));

        assertEquals(List.of("fetchManifest v1"), target.calls("fetchManifest"), "v1 is read by its tag when chosen");
        assertEquals(List.of(), target.calls("headManifest"),
                "and not asked about again; v2 is not in the target's tag list, so it is not looked up");
        // v2's blobs are still checked one by one: its config equals v1's, and the layer is shared.
        assertEquals(List.of(v2.blobs().get(0).digest(), v2.blobs().get(1).digest()), actions(plan).get(BlobAction.SKIP));
        assertEquals(List.of(v2.blobs().get(2).digest()), actions(plan).get(BlobAction.UPLOAD));

        new Copier(source, target, null, DEFAULTS).execute(plan, CopyListener.NONE);
        target.clearCalls();
        CopyPlan rerun = new Copier(source, target, null, DEFAULTS).plan(CopyRequest.parse("r.example/a", "r.example/b", true));
        assertEquals(List.of(), rerun.blobs(), "a rerun finds both images by their tags");
        assertEquals(List.of(), target.calls("hasBlob"));
    }

    @Test
    void anUnchangedTagCostsTheSourceAHeadAndTheTargetOneReadOfItsTag() {
        Images.image(source, "v1", "linux/amd64", ImageParts.random(100, 1));
        Images.image(source, "v2", "linux/amd64", ImageParts.random(100, 2));
        Copier first = new Copier(source, target, null, DEFAULTS);
        first.execute(first.planToRun(CopyRequest.parse("r.example/a", "r.example/b", true)), CopyListener.NONE);
        source.clearCalls();
        target.clearCalls();

        CopyPlan rerun = new Copier(source, target, null, DEFAULTS).planToRun(CopyRequest.parse("r.example/a", "r.example/b", true));

        assertEquals(0, rerun.manifestsToPush());
        assertEquals(List.of(), source.calls("fetchManifest"), "the source pulled nothing");
        assertEquals(java.util.Set.of("headManifest v1", "headManifest v2"), java.util.Set.copyOf(source.calls("headManifest")));
        // What each target tag holds was read when the tag was chosen, and the plan asks it no more.
        assertEquals(java.util.Set.of("fetchManifest v1", "fetchManifest v2"), java.util.Set.copyOf(target.calls("fetchManifest")));
        assertEquals(List.of(), target.calls("headManifest"));
        assertEquals(List.of("listTags"), target.calls("listTags"), "the target's tags are listed once");
    }

    @Test
    void aPlanToRunLeavesSmallBlobsToTheirUploadWhichFindsTheOnesTheTargetHas() {
        byte[] smallShared = ImageParts.random(500, 7);
        byte[] big = ImageParts.random((int) CopyPlanner.UNCHECKED_MAX, 8);
        Image image = Images.image(source, "v1", "linux/amd64", smallShared, ImageParts.random(600, 9), big);
        ImageParts.blob(target, MediaTypes.OCI_LAYER_GZIP, smallShared);
        Copier copier = new Copier(source, target, null, DEFAULTS);

        Map<BlobAction, List<Digest>> exact = actions(copier.plan(request("r.example/a:v1", "r.example/b:v1")));
        assertEquals(List.of(image.blobs().get(1).digest()), exact.get(BlobAction.SKIP), "--dry-run asks about every blob");
        target.clearCalls();

        CopyPlan plan = copier.planToRun(request("r.example/a:v1", "r.example/b:v1"));

        assertEquals(List.of(image.blobs().get(0).digest(), image.blobs().get(1).digest(), image.blobs().get(2).digest()),
                actions(plan).get(BlobAction.UPLOAD_UNLESS_PRESENT), "config and small layers are not asked about");
        assertEquals(List.of(image.blobs().get(3).digest()), actions(plan).get(BlobAction.UPLOAD));
        assertEquals(List.of("hasBlob " + image.blobs().get(3).digest()), target.calls("hasBlob"));

        CopyResult result = copier.execute(plan, CopyListener.NONE);

        assertEquals(new CopyResult.Blobs(3, 0, 1), result.blobs(), "the shared layer was found, not sent");
        assertEquals(List.of(), target.calls("putBlob " + image.blobs().get(1).digest()));
        assertEquals(image.digest().toString(), target.tagged("v1"));
    }

    @Test
    void aTargetThatWillNotListItsTagsIsAskedImageByImage() {
        Image v1 = Images.image(source, "v1", "linux/amd64", ImageParts.random(100, 1));
        Image v2 = Images.image(source, "v2", "linux/amd64", ImageParts.random(100, 2));
        target.refuseListing();

        CopyPlan plan = new Copier(source, target, null, DEFAULTS).planToRun(CopyRequest.parse("r.example/a", "r.example/b", true));

        assertEquals(java.util.Set.of("headManifest " + v1.digest(), "headManifest " + v2.digest()),
                java.util.Set.copyOf(target.calls("headManifest")), "asked in parallel, so in any order");
        assertEquals(2, plan.manifestsToPush());
    }

    @Test
    void blobsTheTargetHasAreSkippedAndTheRestUploaded() {
        byte[] shared = ImageParts.random(500, 7);
        Image image = Images.image(source, "v1", "linux/amd64", shared, ImageParts.random(600, 8));
        ImageParts.blob(target, MediaTypes.OCI_LAYER_GZIP, shared);

        Map<BlobAction, List<Digest>> actions = actions(plan(DEFAULTS, "r.example/a:v1", "r.example/b:v1"));

        assertEquals(List.of(image.blobs().get(1).digest()), actions.get(BlobAction.SKIP));
        assertEquals(List.of(image.blobs().get(0).digest(), image.blobs().get(2).digest()), actions.get(BlobAction.UPLOAD));
    }

    @Test
    void sameRegistryMountsAndFallsBackToUploadWhenTheMountIsDeclined() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(100, 1), ImageParts.random(100, 2));
        MemoryStore lender = new MemoryStore("lender");
        // The registry can mount only the config and the first layer (say the second is in quarantine).
        lender.putCorruptBlob(image.blobs().get(0).digest(), source.blob(image.blobs().get(0).digest()));
        lender.putCorruptBlob(image.blobs().get(1).digest(), source.blob(image.blobs().get(1).digest()));
        target.mountsFrom(lender);
        Copier copier = new Copier(source, target, "team/app", DEFAULTS);

        CopyPlan plan = copier.plan(request("r.example/team/app:v1", "r.example/team/copy:v1"));
        assertEquals(3, plan.count(BlobAction.MOUNT));
        assertTrue(plan.blobs().stream().allMatch(b -> "team/app".equals(b.mountFrom())));

        CopyResult result = copier.execute(plan, CopyListener.NONE);

        assertEquals(new CopyResult.Blobs(1, 2, 0), result.blobs());
        assertEquals(100, result.bytes(), "only the declined blob's bytes moved");
        assertEquals(List.of("putBlob " + image.blobs().get(2).digest()), target.calls("putBlob"));
        assertEquals(3, target.calls("mountBlob").size());
    }

    @Test
    void blobsSharedBetweenPlatformsAndTagsArePlannedAndMovedOnce() {
        byte[] base = ImageParts.random(800, 42);
        Image amd = Images.image(source, null, "linux/amd64", base, ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm64/v8", base, ImageParts.random(10, 2));
        RawManifest index = Images.index(source, "v1", MediaTypes.OCI_INDEX, amd, arm);
        source.putManifest(index, "latest");
        Image other = Images.image(source, "solo", "linux/amd64", base);

        Copier copier = new Copier(source, target, null, DEFAULTS);
        CopyPlan plan = copier.plan(CopyRequest.parse("r.example/a", "r.example/b", true));

        List<Digest> digests = plan.blobs().stream().map(b -> b.blob().digest()).toList();
        assertEquals(digests.stream().distinct().toList(), digests, "each blob once");
        assertEquals(1, digests.stream().filter(d -> d.equals(Digest.sha256(base))).count());
        ManifestStep indexStep = plan.manifests().stream().filter(m -> m.manifest().isIndex()).findFirst().orElseThrow();
        assertEquals(List.of("v1", "latest"), indexStep.tags(), "one manifest, both tags");
        assertEquals(4, plan.manifests().size());

        CopyResult result = copier.execute(plan, CopyListener.NONE);

        assertEquals(1, target.calls("putBlob " + Digest.sha256(base)).size());
        assertEquals(List.of("v1", "latest", "solo"), result.tags());
        assertNull(result.digest(), "a repository copy has no single digest");
        assertEquals(List.of(index.digest().toString(), index.digest().toString(), other.digest().toString()),
                result.images().stream().map(CopyResult.Image::digest).toList());
    }

    @Test
    void childrenArePushedBeforeTheIndexAndTheIndexBeforeItsTag() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm64/v8", ImageParts.random(10, 2));
        RawManifest index = Images.index(source, "v1", MediaTypes.DOCKER_MANIFEST_LIST, amd, arm);

        Copier copier = new Copier(source, target, null, DEFAULTS);
        copier.execute(copier.plan(request("r.example/a:v1", "r.example/b:v1")), CopyListener.NONE);

        List<String> puts = target.calls().stream().filter(c -> c.startsWith("put")).toList();
        int lastBlob = -1;
        for (int i = 0; i < puts.size(); i++) {
            if (puts.get(i).startsWith("putBlob")) {
                lastBlob = i;
            }
        }
        int firstManifest = puts.indexOf(puts.stream().filter(c -> c.startsWith("putManifest")).findFirst().orElseThrow());
        assertTrue(lastBlob >= 0, "blobs were pushed: " + puts);
        assertTrue(lastBlob < firstManifest, "every blob before any manifest: " + puts);
        assertEquals("putManifest " + index.digest() + " v1", puts.get(puts.size() - 1));
        assertTrue(puts.subList(firstManifest, puts.size() - 1).containsAll(List.of(
                "putManifest " + amd.digest(), "putManifest " + arm.digest())), "children by digest: " + puts);
        assertArrayEquals(index.bytes(), target.fetchManifest("v1").bytes(), "pushed exactly as fetched");
    }

    @Test
    void onePlatformCopiesThatChildUnchanged() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm64/v8", ImageParts.random(10, 2));
        Images.index(source, "v1", MediaTypes.OCI_INDEX, amd, arm);
        CopyOptions arm64 = new CopyOptions(List.of(Platform.parse("linux/arm64")), false, false, 2);

        Copier copier = new Copier(source, target, null, arm64);
        CopyResult result = copier.execute(copier.plan(request("r.example/a:v1", "r.example/b:v1")), CopyListener.NONE);

        assertEquals(arm.digest().toString(), result.digest());
        assertFalse(result.digestChanged());
        assertEquals(arm.digest().toString(), target.tagged("v1"));
        assertFalse(target.hasManifest(amd.digest()));
        assertEquals(arm.blobs().size(), result.blobs().uploaded());
    }

    @Test
    void severalPlatformsMakeANewIndexOfTheSameTypeKeepingOtherFields() throws Exception {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm64/v8", ImageParts.random(10, 2));
        Image s390 = Images.image(source, null, "linux/s390x", ImageParts.random(10, 3));
        RawManifest index = Images.index(source, "v1", MediaTypes.DOCKER_MANIFEST_LIST, amd, arm, s390);
        CopyOptions two = new CopyOptions(List.of(Platform.parse("linux/s390x"), Platform.parse("linux/amd64")), false, false, 2);

        Copier copier = new Copier(source, target, null, two);
        CopyPlan plan = copier.plan(request("r.example/a:v1", "r.example/b:v1"));
        CopyResult result = copier.execute(plan, CopyListener.NONE);

        assertTrue(result.digestChanged());
        assertNotEquals(index.digest().toString(), result.digest());
        assertEquals(index.digest().toString(), result.images().get(0).sourceDigest());
        RawManifest copied = target.fetchManifest("v1");
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, copied.mediaType());
        JsonNode tree = Images.JSON.readTree(copied.bytes());
        assertEquals("yes", tree.path("annotations").path("org.example.kept").asText());
        assertEquals(List.of(amd.digest(), s390.digest()),
                copied.index().manifests().stream().map(Descriptor::digest).toList(), "source order kept");
        assertFalse(target.hasManifest(arm.digest()));
    }

    @Test
    void aVariantMatchesAChildThatLeavesItsArchitecturesDefaultVariantUnsaid() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm64 = Images.image(source, null, "linux/arm64", ImageParts.random(10, 2));
        Image arm = Images.image(source, null, "linux/arm", ImageParts.random(10, 3));
        Images.index(source, "v1", MediaTypes.OCI_INDEX, amd, arm64, arm);

        CopyPlan v8 = planFor("v1", "linux/arm64/v8");
        assertEquals(arm64.digest(), v8.images().get(0).digest(), "arm64 without a variant is arm64/v8, as docker has it");
        CopyPlan v7 = planFor("v1", "linux/arm/v7");
        assertEquals(arm.digest(), v7.images().get(0).digest(), "arm without a variant is arm/v7");
        RegctlException v6 = assertThrows(RegctlException.class, () -> planFor("v1", "linux/arm/v6"));
        assertEquals(RegctlException.Kind.NOT_FOUND, v6.kind(), "but no other variant");
    }

    /** An index that lists one image twice ({@code linux/arm64/v8} and {@code linux/arm64}) has one image for either. */
    @Test
    void oneImageListedUnderTwoSpellingsIsCopiedAsThatOneChild() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm64/v8", ImageParts.random(10, 2));
        Image armAgain = new Image(arm.manifest(), "linux/arm64", arm.blobs());
        Images.index(source, "v1", MediaTypes.OCI_INDEX, amd, arm, armAgain);

        for (String wanted : List.of("linux/arm64/v8", "linux/arm64", "linux/aarch64")) {
            CopyPlan plan = planFor("v1", wanted);
            assertEquals(arm.digest(), plan.images().get(0).digest(), wanted);
            assertFalse(plan.images().get(0).digestChanged(), wanted + ": the child itself, not a new index");
        }
    }

    @Test
    void everyImageOfAnIndexThatListsOneTwiceIsTheIndexItself() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm64/v8", ImageParts.random(10, 2));
        RawManifest index = Images.index(source, "v1", MediaTypes.OCI_INDEX, amd, arm,
                new Image(arm.manifest(), "linux/arm64", arm.blobs()));

        CopyPlan plan = planFor("v1", "linux/arm64", "linux/amd64");

        assertEquals(index.digest(), plan.images().get(0).digest(), "nothing left out, so the digest is kept");
    }

    /** docker and skopeo read linux/arm as arm/v7: with v6 and v7 present that is v7, not an ambiguity nor both. */
    @Test
    void linuxArmCopiesV7AndV6OnlyWhereThereIsNoV7() {
        List<Image> both = indexed("both", MediaTypes.OCI_INDEX, "linux/arm/v6", "linux/arm/v7");
        Image v6 = both.get(0);
        Image v7 = both.get(1);
        Images.index(source, "old", MediaTypes.OCI_INDEX, v6);

        assertEquals(v7.digest(), planFor("both", "linux/arm").images().get(0).digest());
        assertEquals(v6.digest(), planFor("old", "linux/arm").images().get(0).digest());
    }

    @Test
    void aWindowsBuildCopiesItsImageAndWindowsAloneEveryBuild() {
        List<Image> images = indexed("v1", MediaTypes.DOCKER_MANIFEST_LIST, "windows(10.0.17763.5576)/amd64",
                "windows(10.0.20348.2340)/amd64", "linux/amd64");
        Image ltsc2019 = images.get(0);
        Image ltsc2022 = images.get(1);

        CopyPlan one = planFor("v1", "windows(10.0.20348)/amd64");
        assertEquals(ltsc2022.digest(), one.images().get(0).digest());

        CopyPlan builds = planFor("v1", "windows/amd64");
        RawManifest both = builds.images().get(0).digestChanged() ? builds.manifests().stream().map(ManifestStep::manifest)
                .filter(RawManifest::isIndex).findFirst().orElseThrow() : null;
        assertEquals(List.of(ltsc2019.digest(), ltsc2022.digest()),
                both.index().manifests().stream().map(Descriptor::digest).toList());
        assertEquals("10.0.20348.2340", both.index().manifests().get(1).platform().osVersion(), "entries kept whole");
    }

    @Test
    void aPlatformTheIndexLacksIsNotFoundAndNamesWhatItHas() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm/v7", ImageParts.random(10, 2));
        Images.index(source, "v1", MediaTypes.OCI_INDEX, amd, arm);
        CopyOptions s390 = new CopyOptions(List.of(Platform.parse("linux/s390x")), false, false, 2);

        RegctlException e = assertThrows(RegctlException.class, () -> plan(s390, "r.example/a:v1", "r.example/b:v1"));

        assertEquals(RegctlException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("has no image for linux/s390x; its platforms: linux/amd64, linux/arm/v7"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith("copy r.example/a:v1 -> r.example/b:v1: "), e.getMessage());
    }

    @Test
    void aSingleImageOfAnotherPlatformIsNotFoundAndNothingIsWritten() {
        Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        CopyOptions arm64 = new CopyOptions(List.of(Platform.parse("linux/arm64")), false, false, 2);

        RegctlException e = assertThrows(RegctlException.class, () -> plan(arm64, "r.example/a:v1", "r.example/b:v1"));

        assertEquals(RegctlException.Kind.NOT_FOUND, e.kind());
        assertEquals("copy r.example/a:v1 -> r.example/b:v1: src:v1 is one image for linux/amd64, not linux/arm64",
                e.getMessage());
        assertEquals("leave out --platform, or name an index that has linux/arm64", e.hint());
        assertEquals(List.of(), target.calls("putBlob"));
        assertEquals(List.of(), target.calls("putManifest"));

        CopyOptions both = new CopyOptions(List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")), false,
                false, 2);
        assertThrows(RegctlException.class, () -> plan(both, "r.example/a:v1", "r.example/b:v1"),
                "one image cannot be two platforms");
    }

    @Test
    void aSingleImageOfThePlatformAskedForIsCopiedAsItIs() {
        Image amd = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        CopyOptions amd64 = new CopyOptions(List.of(Platform.parse("linux/amd64/v1")), false, false, 2);

        Copier copier = new Copier(source, target, null, amd64);
        CopyResult result = copier.execute(copier.plan(request("r.example/a:v1", "r.example/b:v1")), CopyListener.NONE);

        assertEquals(amd.digest().toString(), result.digest());
        assertFalse(result.digestChanged());
    }

    @Test
    void allTagsWithAPlatformCopiesReferrerTagsAsTheyAreAndRefusesAnImageOfAnotherPlatform() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm64", ImageParts.random(10, 2));
        RawManifest index = Images.index(source, "v1", MediaTypes.OCI_INDEX, amd, arm);
        RawManifest signature = Images.referrer(source, index.descriptor(), "application/vnd.example.sig", "signed",
                ReferrerTags.cosign(index.digest()).get(0));
        CopyOptions arm64 = new CopyOptions(List.of(Platform.parse("linux/arm64")), false, false, 2);

        Copier copier = new Copier(source, target, null, arm64);
        copier.execute(copier.plan(CopyRequest.parse("r.example/a", "r.example/b", true)), CopyListener.NONE);
        assertEquals(arm.digest().toString(), target.tagged("v1"));
        assertEquals(signature.digest().toString(), target.tagged(ReferrerTags.cosign(index.digest()).get(0)),
                "a signature names no platform, and is not an image --platform picks from");

        Images.image(source, "v2", "linux/amd64", ImageParts.random(10, 3));
        RegctlException e = assertThrows(RegctlException.class,
                () -> new Copier(source, target, null, arm64).plan(CopyRequest.parse("r.example/a", "r.example/b", true)),
                "v2 is amd64 alone");
        assertTrue(e.getMessage().endsWith("src:v2 is one image for linux/amd64, not linux/arm64"), e.getMessage());
    }

    @Test
    void forcePushesPresentManifestsAndFillsInMissingBlobs() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(100, 1), ImageParts.random(100, 2));
        target.putManifest(image.manifest(), "v1");
        ImageParts.blob(target, MediaTypes.OCI_CONFIG, source.blob(image.blobs().get(0).digest()));
        CopyOptions force = new CopyOptions(List.of(), true, false, 2);

        Copier copier = new Copier(source, target, null, force);
        CopyPlan plan = copier.plan(request("r.example/a:v1", "r.example/b:v1"));

        assertEquals(List.of(new ManifestStep(image.manifest(), 0, true, List.of("v1"), List.of(), null)), plan.manifests());
        assertEquals(List.of(), target.calls("headManifest"), "--force does not ask");
        assertEquals(1, plan.count(BlobAction.SKIP));
        assertEquals(2, plan.count(BlobAction.UPLOAD));
        assertEquals(1, copier.execute(plan, CopyListener.NONE).manifests());
    }

    @Test
    void aPresentIndexIsNotOpened() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        RawManifest index = Images.index(source, "v1", MediaTypes.OCI_INDEX, amd);
        target.putManifest(index, "v1");
        source.clearCalls();

        CopyPlan plan = plan(DEFAULTS, "r.example/a:v1", "r.example/b:v1");

        assertEquals(1, plan.manifests().size());
        assertEquals(List.of("fetchManifest v1"), source.calls("fetchManifest"));
    }

    @Test
    void tagAndDigestMustStillAgree() {
        Image v1 = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        Image v2 = Images.image(source, "v2", "linux/amd64", ImageParts.random(10, 2));

        CopyPlan ok = plan(DEFAULTS, "r.example/a:v1@" + v1.digest(), "r.example/b:v1");
        assertEquals(v1.digest(), ok.images().get(0).digest());

        RegctlException moved = assertThrows(RegctlException.class,
                () -> plan(DEFAULTS, "r.example/a:v1@" + v2.digest(), "r.example/b:v1"));
        assertEquals(RegctlException.Kind.FAILURE, moved.kind());
        assertTrue(moved.getMessage().contains("src:v1 points to " + v1.digest() + ", not " + v2.digest()), moved.getMessage());
        assertEquals(List.of(), target.calls("put"));
    }

    @Test
    void aCorruptSourceBlobStopsTheCopyBeforeAnyManifest() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(100, 1));
        Descriptor layer = image.blobs().get(1);
        source.putCorruptBlob(layer.digest(), ImageParts.random(100, 99));
        Copier copier = new Copier(source, target, null, DEFAULTS, (failed, retryAfter) -> {
            throw new AssertionError("a mismatch is never retried");
        });

        RegctlException e = assertThrows(RegctlException.class,
                () -> copier.execute(copier.plan(request("r.example/a:v1", "r.example/b:v1")), CopyListener.NONE));

        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().contains("blob " + layer.digest() + " from src does not match its descriptor: digest mismatch"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("nothing was tagged"), e.getMessage());
        assertEquals(List.of(), target.calls("putManifest"));
        assertNull(target.blob(layer.digest()));
        assertEquals(1, source.calls("openBlob " + layer.digest()).size());
    }

    @Test
    void layoutToLayoutKeepsEveryByteAndRerunsDoNothing() throws Exception {
        OciLayoutStore from = OciLayoutStore.create(tmp.resolve("from"));
        Image amd = Images.image(from, null, "linux/amd64", ImageParts.random(3000, 1));
        Image arm = Images.image(from, null, "linux/arm64/v8", ImageParts.random(3000, 2));
        RawManifest index = Images.index(from, "v1", MediaTypes.OCI_INDEX, amd, arm);
        Path toDir = tmp.resolve("to");
        CopyRequest req = CopyRequest.parse("oci:" + tmp.resolve("from"), "oci:" + toDir, false);

        try (OciLayoutStore to = OciLayoutStore.create(toDir)) {
            Copier copier = new Copier(from, to, null, DEFAULTS);
            CopyPlan plan = copier.plan(req);
            assertEquals("oci:" + toDir + ":v1", plan.destination(), "a layout named without a tag gets the source's");
            CopyResult result = copier.execute(plan, CopyListener.NONE);
            assertEquals(index.digest().toString(), result.digest());
            assertArrayEquals(index.bytes(), to.fetchManifest("v1").bytes());
            for (Image image : List.of(amd, arm)) {
                for (Descriptor blob : image.blobs()) {
                    assertArrayEquals(Files.readAllBytes(tmp.resolve("from/blobs/sha256").resolve(blob.digest().hex())),
                            Files.readAllBytes(toDir.resolve("blobs/sha256").resolve(blob.digest().hex())));
                }
            }
            CopyResult again = new Copier(from, to, null, DEFAULTS).execute(new Copier(from, to, null, DEFAULTS).plan(req),
                    CopyListener.NONE);
            assertEquals(new CopyResult.Blobs(0, 0, 0), again.blobs());
            assertEquals(0, again.manifests());
        }
    }

    @Test
    void aLayoutThatDoesNotExistIsPlannedAgainstAsEmptyAndCreatedByTheFirstWrite() {
        Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        Path missing = tmp.resolve("not/yet");
        Copier copier = new Copier(source, new NewLayoutStore(missing), null, DEFAULTS);

        CopyPlan plan = copier.plan(request("r.example/a:v1", "oci:" + missing + ":v1"));

        assertEquals(2, plan.count(BlobAction.UPLOAD));
        assertFalse(Files.exists(missing.getParent()), "planning (and so a dry run) creates nothing");
        copier.execute(plan, CopyListener.NONE);
        try (OciLayoutStore created = OciLayoutStore.open(missing)) {
            assertEquals(List.of("v1"), created.listTags());
        }
    }

    @Test
    void referrersAreCopiedAfterTheirSubjectAndListedInTheTagSchemaWhereTheTargetHasNoApi() {
        source.withReferrersApi();
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(source, image.manifest().descriptor(), "application/vnd.example.sig", "sig", null);
        RawManifest sbomOfSig = Images.referrer(source, sig.descriptor(), "application/spdx+json", "sbom", null);
        RawManifest cosign = Images.referrer(source, image.manifest().descriptor(), "application/vnd.dev.cosign", "c",
                ReferrerTags.cosign(image.digest()).get(0));
        CopyOptions withReferrers = new CopyOptions(List.of(), false, true, 2);

        Copier copier = new Copier(source, target, null, withReferrers);
        CopyPlan plan = copier.plan(request("r.example/a:v1", "r.example/b:v1"));
        CopyResult result = copier.execute(plan, CopyListener.NONE);

        Map<Digest, Integer> levels = plan.manifests().stream()
                .collect(Collectors.toMap(m -> m.manifest().digest(), ManifestStep::level));
        assertTrue(levels.get(image.digest()) < levels.get(sig.digest()));
        assertTrue(levels.get(sig.digest()) < levels.get(sbomOfSig.digest()), "referrers of referrers too");
        assertTrue(target.hasManifest(sig.digest()) && target.hasManifest(sbomOfSig.digest()));
        assertEquals(cosign.digest().toString(), target.tagged(ReferrerTags.cosign(image.digest()).get(0)));
        assertTrue(result.tags().contains(ReferrerTags.cosign(image.digest()).get(0)));

        // This target has no referrers API, so copy maintained the tag schema's index for it.
        RawManifest listed = target.fetchManifest(ReferrerTags.fallback(image.digest()));
        List<Digest> referrers = listed.index().manifests().stream().map(Descriptor::digest).toList();
        assertTrue(referrers.containsAll(List.of(sig.digest(), cosign.digest())), referrers.toString());
        assertEquals(List.of(sbomOfSig.digest()), target.fetchManifest(ReferrerTags.fallback(sig.digest()))
                .index().manifests().stream().map(Descriptor::digest).toList());
    }

    @Test
    void aCosignSignatureWithoutASubjectFieldIsStillPushedAfterWhatItSigns() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm64", ImageParts.random(10, 2));
        RawManifest index = Images.index(source, "v1", MediaTypes.OCI_INDEX, amd, arm);
        // Legacy cosign: a plain image manifest, found only by its tag, naming no subject.
        String sigTag = ReferrerTags.cosign(index.digest()).get(0);
        Image sig = Images.image(source, sigTag, "linux/amd64", ImageParts.random(10, 3));

        Copier copier = new Copier(source, target, null, new CopyOptions(List.of(), false, true, 2));
        CopyPlan plan = copier.plan(request("r.example/a:v1", "r.example/b:v1"));
        copier.execute(plan, CopyListener.NONE);

        Map<Digest, Integer> levels = plan.manifests().stream()
                .collect(Collectors.toMap(m -> m.manifest().digest(), ManifestStep::level));
        assertTrue(levels.get(index.digest()) < levels.get(sig.digest()), "signature after the index: " + levels);
        List<String> puts = target.calls("putManifest");
        assertBefore(puts, "putManifest " + index.digest() + " v1", "putManifest " + sig.digest() + " " + sigTag);
    }

    @Test
    void aTargetWithTheReferrersApiGetsNoTagSchemaIndex() {
        source.withReferrersApi();
        target.withReferrersApi();
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(source, image.manifest().descriptor(), "application/vnd.example.sig", "s", null);

        Copier copier = new Copier(source, target, null, new CopyOptions(List.of(), false, true, 2));
        copier.execute(copier.plan(request("r.example/a:v1", "r.example/b:v1")), CopyListener.NONE);

        assertTrue(target.hasManifest(sig.digest()));
        assertNull(target.tagged(ReferrerTags.fallback(image.digest())));
    }

    @Test
    void progressIsReportedPerBlob() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(70_000, 1));
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        CopyListener listener = new CopyListener() {
            @Override
            public void blobProgress(Descriptor blob, long transferred) {
                if (transferred == blob.size()) {
                    events.add("all of " + blob.digest());
                }
            }

            @Override
            public void blobFinished(Descriptor blob, BlobAction done) {
                events.add(done + " " + blob.digest());
            }
        };
        Copier copier = new Copier(source, target, null, DEFAULTS);
        copier.execute(copier.plan(request("r.example/a:v1", "r.example/b:v1")), listener);

        for (Descriptor blob : image.blobs()) {
            assertBefore(events, "all of " + blob.digest(), "UPLOAD " + blob.digest());
        }
    }

    @Test
    void progressComesInStepsNotPerRead() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(3 * 1024 * 1024 + 5, 1));
        Descriptor layer = image.blobs().stream().max(java.util.Comparator.comparingLong(Descriptor::size)).orElseThrow();
        List<Long> reports = java.util.Collections.synchronizedList(new ArrayList<>());
        CopyListener listener = new CopyListener() {
            @Override
            public void blobProgress(Descriptor blob, long transferred) {
                if (blob.equals(layer)) {
                    reports.add(transferred);
                }
            }
        };
        Copier copier = new Copier(source, target, null, DEFAULTS);
        copier.execute(copier.plan(request("r.example/a:v1", "r.example/b:v1")), listener);

        // A report per read would be hundreds; a bar needs one per step and the end.
        assertTrue(reports.size() <= layer.size() / BlobTransfer.PROGRESS_STEP + 1, reports.size() + " reports");
        assertEquals(layer.size(), reports.get(reports.size() - 1));
        for (int i = 1; i < reports.size(); i++) {
            assertTrue(reports.get(i) > reports.get(i - 1), "progress went back: " + reports);
        }
    }

    /**
     * Both events happened, {@code first} before {@code second}. Comparing bare {@code indexOf}
     * results would pass when {@code first} is missing, as -1 is below any position.
     */
    private static void assertBefore(List<String> events, String first, String second) {
        int a = events.indexOf(first);
        int b = events.indexOf(second);
        assertTrue(a >= 0, "no \"" + first + "\" in " + events);
        assertTrue(b >= 0, "no \"" + second + "\" in " + events);
        assertTrue(a < b, "\"" + first + "\" after \"" + second + "\" in " + events);
    }
}
