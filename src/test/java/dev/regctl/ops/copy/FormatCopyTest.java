package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ManifestFormat;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.Images;
import dev.regctl.ops.MemoryStore;
import dev.regctl.ops.copy.CopyPlan.BlobStep;
import dev.regctl.ops.copy.CopyPlan.ManifestStep;
import dev.regctl.store.ocidir.NewLayoutStore;
import dev.regctl.testing.ImageParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code copy --format}: conversion as one step of the copy engine, planned, ordered and refused as a whole. */
class FormatCopyTest {
    private static final CopyOptions TO_OCI = new CopyOptions(List.of(), false, false, 4, ManifestFormat.OCI);
    private static final CopyOptions TO_DOCKER = new CopyOptions(List.of(), false, false, 4, ManifestFormat.V2S2);
    private static final CopyOptions EXACT = new CopyOptions(List.of(), false, false, 4);

    @TempDir
    Path tmp;

    private final MemoryStore source = new MemoryStore("src");
    private final MemoryStore target = new MemoryStore("dst");

    /** A Docker schema 2 image as docker pushes it: Docker config and gzip layer types. */
    private RawManifest dockerImage(String tag, String platform, long seed) {
        String[] p = platform.split("/");
        ObjectNode config = Images.JSON.createObjectNode().put("architecture", p[1]).put("os", p[0]);
        Descriptor configBlob = ImageParts.blob(source, MediaTypes.DOCKER_CONFIG, Images.write(config));
        Descriptor layer = ImageParts.blob(source, MediaTypes.DOCKER_LAYER_GZIP, ImageParts.random(500, seed));
        ObjectNode manifest = Images.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.DOCKER_MANIFEST);
        manifest.set("config", Images.descriptor(configBlob));
        manifest.putArray("layers").add(Images.descriptor(layer));
        RawManifest raw = RawManifest.of(Images.write(manifest), MediaTypes.DOCKER_MANIFEST);
        source.putManifest(raw, tag);
        return raw;
    }

    private RawManifest dockerList(String tag, RawManifest... images) {
        ObjectNode list = Images.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.DOCKER_MANIFEST_LIST);
        ArrayNode entries = list.putArray("manifests");
        String[] arches = {"amd64", "arm64"};
        for (int i = 0; i < images.length; i++) {
            entries.add(Images.descriptor(images[i].descriptor())).get(i).withObject("/platform")
                    .put("architecture", arches[i]).put("os", "linux");
        }
        RawManifest raw = RawManifest.of(Images.write(list), MediaTypes.DOCKER_MANIFEST_LIST);
        source.putManifest(raw, tag);
        return raw;
    }

    private CopyPlan plan(CopyOptions options, String src, String dst) {
        return new Copier(source, target, null, options).plan(CopyRequest.parse(src, dst, false));
    }

    private static JsonNode tree(RawManifest m) throws IOException {
        return Images.JSON.readTree(m.bytes());
    }

    @Test
    void aDockerListIsWrittenAsAnOciIndexAfterItsConvertedChildren() throws IOException {
        RawManifest amd64 = dockerImage(null, "linux/amd64", 1);
        RawManifest arm64 = dockerImage(null, "linux/arm64", 2);
        RawManifest list = dockerList("1", amd64, arm64);
        Copier copier = new Copier(source, target, null, TO_OCI);

        CopyPlan plan = copier.plan(CopyRequest.parse("r.example/app:1", "r.example/copy:1", false));

        List<RawManifest> written = plan.manifests().stream().map(ManifestStep::manifest).toList();
        assertEquals(Set.of(MediaTypes.OCI_MANIFEST), written.subList(0, 2).stream().map(RawManifest::mediaType)
                .collect(Collectors.toSet()));
        RawManifest index = written.get(2);
        assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
        assertTrue(plan.manifests().get(2).level() > plan.manifests().get(0).level(), "children are pushed first");
        assertEquals(written.subList(0, 2).stream().map(RawManifest::digest).toList(),
                index.index().manifests().stream().map(Descriptor::digest).toList(), "the index lists the new children");
        Set<Digest> sourceBlobs = Set.of(amd64, arm64).stream().flatMap(m -> {
            List<Descriptor> blobs = new java.util.ArrayList<>(m.manifest().layers());
            blobs.add(m.manifest().config());
            return blobs.stream();
        }).map(Descriptor::digest).collect(Collectors.toSet());
        assertEquals(sourceBlobs, plan.blobs().stream().map(b -> b.blob().digest()).collect(Collectors.toSet()),
                "blobs are the source's, unchanged");
        assertEquals(Set.of(MediaTypes.OCI_CONFIG, MediaTypes.OCI_LAYER_GZIP),
                plan.blobs().stream().map(BlobStep::blob).map(Descriptor::mediaType).collect(Collectors.toSet()));

        CopyResult result = copier.execute(plan, CopyListener.NONE);

        assertTrue(result.digestChanged());
        assertEquals(index.digest().toString(), result.digest());
        assertEquals(list.digest().toString(), result.images().get(0).sourceDigest());
        assertEquals(index.digest().toString(), target.tagged("1"));
        List<String> puts = target.calls("putManifest");
        assertEquals(Set.of("putManifest " + written.get(0).digest(), "putManifest " + written.get(1).digest(),
                "putManifest " + index.digest() + " 1"), Set.copyOf(puts));
        assertEquals(3, puts.size(), "every manifest once: " + puts);
        assertEquals("putManifest " + index.digest() + " 1", puts.get(puts.size() - 1), "the index and its tag last");
        assertEquals(MediaTypes.OCI_CONFIG, tree(target.fetchManifest(written.get(0).digest())).path("config")
                .path("mediaType").asText());
    }

    @Test
    void aRerunFindsTheConvertedManifestsAndMovesNothing() {
        RawManifest list = dockerList("1", dockerImage(null, "linux/amd64", 1), dockerImage(null, "linux/arm64", 2));
        new Copier(source, target, null, TO_OCI).execute(plan(TO_OCI, "r.example/app:1", "r.example/copy:1"),
                CopyListener.NONE);
        target.clearCalls();

        CopyPlan again = plan(TO_OCI, "r.example/app:1", "r.example/copy:1");

        assertEquals(List.of(), again.blobs());
        assertFalse(again.manifests().get(0).push(), "the converted index is found by its new digest");
        assertEquals(List.of("1"), again.manifests().get(0).tagsPresent());
        assertNotEquals(list.digest(), again.manifests().get(0).manifest().digest());
    }

    @Test
    void oneImageOfAListIsConvertedAloneAndSaysItsDigestChanged() {
        RawManifest amd64 = dockerImage(null, "linux/amd64", 1);
        RawManifest list = dockerList("1", amd64, dockerImage(null, "linux/arm64", 2));
        CopyOptions options = new CopyOptions(List.of(dev.regctl.oci.Platform.parse("linux/amd64")), false, false, 4,
                ManifestFormat.OCI);

        CopyPlan plan = plan(options, "r.example/app:1", "r.example/copy:1");

        assertEquals(1, plan.manifests().size());
        assertEquals(MediaTypes.OCI_MANIFEST, plan.manifests().get(0).manifest().mediaType());
        assertTrue(plan.images().get(0).digestChanged());
        assertEquals(list.digest(), plan.images().get(0).sourceDigest());
    }

    @Test
    void anOciImageIsCopiedAsItIsWhenOciIsAskedFor() {
        Images.Image image = Images.image(source, "1", "linux/amd64", ImageParts.random(100, 1));

        CopyPlan plan = plan(TO_OCI, "r.example/app:1", "r.example/copy:1");

        assertEquals(image.manifest(), plan.manifests().get(0).manifest());
        assertFalse(plan.images().get(0).digestChanged());
    }

    @Test
    void whatDockerSchema2CannotHoldIsRefusedBeforeAnythingIsWritten() {
        Descriptor config = ImageParts.blob(source, MediaTypes.OCI_CONFIG, "{\"os\":\"linux\",\"architecture\":\"arm64\"}".getBytes());
        Descriptor zstd = ImageParts.blob(source, "application/vnd.oci.image.layer.v1.tar+zstd", ImageParts.random(100, 3));
        ObjectNode m = Images.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", Images.descriptor(config));
        m.putArray("layers").add(Images.descriptor(zstd));
        RawManifest arm64 = RawManifest.of(Images.write(m), MediaTypes.OCI_MANIFEST);
        source.putManifest(arm64, null);
        Images.Image amd64 = Images.image(source, null, "linux/amd64", ImageParts.random(100, 1));
        ObjectNode index = Images.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        index.putArray("manifests").add(Images.descriptor(amd64.manifest().descriptor()))
                .add(Images.descriptor(arm64.descriptor()));
        ((ObjectNode) index.get("manifests").get(1)).putObject("platform").put("architecture", "arm64").put("os", "linux");
        source.putManifest(RawManifest.of(Images.write(index), MediaTypes.OCI_INDEX), "1");

        RegctlException e = assertThrows(RegctlException.class, () -> new Copier(source, target, null, TO_DOCKER)
                .plan(CopyRequest.parse("r.example/app:1", "r.example/copy:1", false)));

        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("the image " + arm64.digest() + " (linux/arm64) of src:1 cannot be written"
                + " as Docker schema 2: layer 1 (" + zstd.digest() + ") is application/vnd.oci.image.layer.v1.tar+zstd"),
                e.getMessage());
        assertEquals(List.of(), target.calls("put"), "nothing written");
    }

    @Test
    void referrersAndFormatTogetherAreRefused() {
        RegctlException e = assertThrows(RegctlException.class,
                () -> new CopyOptions(List.of(), false, true, 4, ManifestFormat.OCI));

        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("--referrers and --format cannot be combined"), e.getMessage());
    }

    @Test
    void aDockerArchiveIsNoPlaceForOci() {
        dockerImage("1", "linux/amd64", 1);

        RegctlException e = assertThrows(RegctlException.class,
                () -> plan(TO_OCI, "r.example/app:1", "docker-archive:" + tmp.resolve("app.tar") + ":app:1"));

        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("is a docker archive, which holds Docker schema 2 images only"), e.getMessage());
        assertEquals(List.of(), source.calls("fetchManifest"), "refused before anything is read");
    }

    @Test
    void aRepositoryCopyLeavesOutReferrerTagsWhoseSubjectsConversionRenames() {
        RawManifest image = dockerImage("v1", "linux/amd64", 1);
        Images.referrer(source, image.descriptor(), "application/vnd.dev.cosign.artifact.sig.v1+json", "sig",
                ReferrerTags.cosign(image.digest()).get(0));

        CopyPlan plan = new Copier(source, target, null, TO_OCI).plan(CopyRequest.parse("r.example/app", "r.example/copy", true));

        assertEquals(List.of("v1"), plan.tags());
        assertEquals(List.of("1 referrer tag not copied (" + ReferrerTags.cosign(image.digest()).get(0)
                + "): they name the source's digests, which --format changes"), plan.warnings());
    }

    @Test
    void aLayoutGettingDockerTypesIsNotedAndWithFormatIsNot() throws IOException {
        dockerImage("1", "linux/amd64", 1);
        Path dir = tmp.resolve("layout");

        CopyPlan exact = new Copier(source, new NewLayoutStore(dir), null, EXACT)
                .plan(CopyRequest.parse("r.example/app:1", "oci:" + dir + ":1", false));
        CopyPlan toRegistry = plan(EXACT, "r.example/app:1", "r.example/copy:1");
        Copier converting = new Copier(source, new NewLayoutStore(dir), null, TO_OCI);
        CopyRequest request = CopyRequest.parse("r.example/app:1", "oci:" + dir + ":1", false);
        CopyPlan converted = converting.plan(request);
        converting.execute(converted, CopyListener.NONE);

        assertEquals(1, exact.notes().size());
        assertTrue(exact.notes().get(0).startsWith("oci:" + dir + ":1 gets Docker media types ("
                + MediaTypes.DOCKER_MANIFEST + ")"), exact.notes().get(0));
        assertTrue(exact.notes().get(0).endsWith("--format oci converts them (new digests)"), exact.notes().get(0));
        assertEquals(List.of(), toRegistry.notes(), "a registry serves docker types to everyone");
        assertEquals(List.of(), converted.notes());
        JsonNode entry = Images.JSON.readTree(Files.readAllBytes(dir.resolve("index.json"))).path("manifests").get(0);
        assertEquals(MediaTypes.OCI_MANIFEST, entry.path("mediaType").asText());
        assertEquals("1", entry.path("annotations").path("org.opencontainers.image.ref.name").asText());
    }
}
