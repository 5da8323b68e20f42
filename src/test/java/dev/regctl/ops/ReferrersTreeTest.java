package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.image.ManifestWalk;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.Images.Image;
import dev.regctl.ops.ReferrersTree.Node;
import dev.regctl.store.ImageStore;
import dev.regctl.store.ocidir.OciLayoutStore;
import dev.regctl.testing.ImageParts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree {@code regctl referrers} shows, from each kind of referrers list, within the walk bounds. */
class ReferrersTreeTest {
    private static final String SIG = "application/vnd.example.sig";
    private static final String SBOM = "application/spdx+json";
    private static final String CREATED = "org.opencontainers.image.created";

    @TempDir
    Path tmp;

    /** image <- sig (annotated), image <- sbom <- sig of the sbom. */
    private record Graph(Image image, RawManifest sig, RawManifest sbom, RawManifest sbomSig) {
    }

    private static Graph graph(ImageStore store) {
        Image image = Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(store, image.manifest().descriptor(), SIG, "sig", null,
                Map.of(CREATED, "2024-05-01T00:00:00Z"));
        RawManifest sbom = Images.referrer(store, image.manifest().descriptor(), SBOM, "sbom", null);
        RawManifest sbomSig = Images.referrer(store, sbom.descriptor(), SIG, "sbom sig", null);
        return new Graph(image, sig, sbom, sbomSig);
    }

    private static Descriptor typed(RawManifest m, String artifactType, Map<String, String> annotations) {
        return new Descriptor(m.mediaType(), m.digest(), m.size(), null, artifactType, annotations, null);
    }

    private static void assertTree(Graph g, Node top) {
        assertEquals(g.image().digest().toString(), top.digest());
        assertEquals(2, top.referrers().size(), top.toString());
        Node sig = top.referrers().stream().filter(n -> n.digest().equals(g.sig().digest().toString())).findFirst().orElseThrow();
        Node sbom = top.referrers().stream().filter(n -> n.digest().equals(g.sbom().digest().toString())).findFirst().orElseThrow();
        assertEquals(SIG, sig.artifactType());
        assertEquals("2024-05-01T00:00:00Z", sig.annotations().get(CREATED));
        assertEquals(g.sig().size(), sig.size());
        assertEquals(List.of(), sig.referrers());
        assertEquals(SBOM, sbom.artifactType());
        assertEquals(List.of(g.sbomSig().digest().toString()), sbom.referrers().stream().map(Node::digest).toList());
    }

    @Test
    void fromAReferrersApi() {
        MemoryStore store = new MemoryStore("reg").withReferrersApi();
        Graph g = graph(store);
        assertTree(g, new ReferrersTree(store).walk("v1", null));
    }

    @Test
    void fromTagSchemaIndexes() {
        MemoryStore store = new MemoryStore("reg");
        Graph g = graph(store);
        Images.tagSchemaIndex(store, g.image().digest(), typed(g.sig(), SIG, Map.of(CREATED, "2024-05-01T00:00:00Z")),
                typed(g.sbom(), SBOM, null));
        Images.tagSchemaIndex(store, g.sbom().digest(), typed(g.sbomSig(), SIG, null));
        assertTree(g, new ReferrersTree(store).walk(g.image().digest().toString(), null));
    }

    @Test
    void fromALayout() {
        try (OciLayoutStore layout = OciLayoutStore.create(tmp.resolve("layout"))) {
            Graph g = graph(layout);
            assertTree(g, new ReferrersTree(layout).walk("v1", null));
        }
    }

    /** cosign's tags name a signature, an attestation and an SBOM without a subject field: they are referrers too. */
    @Test
    void cosignTagsAreReferrersOfTheirImageWithTheirKind() {
        MemoryStore store = new MemoryStore("reg").withReferrersApi();
        Graph g = graph(store);
        RawManifest sig = Images.cosign(store, g.image().digest(), ".sig", "signed payload");
        RawManifest att = Images.cosign(store, g.image().digest(), ".att", "{\"payloadType\":\"application/vnd.in-toto+json\"}");
        RawManifest sbomSig = Images.cosign(store, g.sbom().digest(), ".sig", "the sbom, signed");

        Node top = new ReferrersTree(store).walk("v1", null);

        List<String> digests = top.referrers().stream().map(Node::digest).toList();
        assertEquals(java.util.Set.of(g.sig().digest().toString(), g.sbom().digest().toString()),
                java.util.Set.copyOf(digests.subList(0, 2)), "listed first (in the API's order)");
        assertEquals(List.of(sig.digest().toString(), att.digest().toString()), digests.subList(2, 4), "then cosign's");
        Node cosignSig = top.referrers().get(2);
        assertEquals("signature", cosignSig.kind());
        assertEquals(ReferrerTags.cosign(g.image().digest()).get(0), cosignSig.tag());
        assertNull(cosignSig.artifactType(), "an image config is no artifact type");
        assertEquals("attestation", top.referrers().get(3).kind());
        assertNull(top.referrers().get(0).kind(), "a listed referrer");
        Node sbom = top.referrers().stream().filter(n -> n.digest().equals(g.sbom().digest().toString())).findFirst().orElseThrow();
        assertEquals(List.of(g.sbomSig().digest().toString(), sbomSig.digest().toString()),
                sbom.referrers().stream().map(Node::digest).toList(), "the SBOM's own cosign signature, one level down");
    }

    @Test
    void aCosignTagOnAListedReferrerIsOneReferrerAndOneOnTheImageItselfIsNone() {
        MemoryStore store = new MemoryStore("reg").withReferrersApi();
        Image image = Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(store, image.manifest().descriptor(), SIG, "sig", null);
        store.putManifest(sig, ReferrerTags.fallback(image.digest()) + ".sig");
        store.putManifest(image.manifest(), ReferrerTags.fallback(image.digest()) + ".att");

        Node top = new ReferrersTree(store).walk("v1", null);

        assertEquals(1, top.referrers().size(), top.toString());
        assertEquals(SIG, top.referrers().get(0).artifactType());
        assertEquals("signature", top.referrers().get(0).kind());
    }

    @Test
    void cosignTagsInALayoutAreFoundToo() {
        try (OciLayoutStore layout = OciLayoutStore.create(tmp.resolve("cosign"))) {
            Image image = Images.image(layout, "v1", "linux/amd64", ImageParts.random(10, 1));
            RawManifest sbom = Images.cosign(layout, image.digest(), ".sbom", "{\"spdxVersion\":\"SPDX-2.3\"}");

            Node top = new ReferrersTree(layout).walk("v1", null);

            assertEquals(List.of(sbom.digest().toString()), top.referrers().stream().map(Node::digest).toList());
            assertEquals("sbom", top.referrers().get(0).kind());
        }
    }

    @Test
    void anArtifactTypeFiltersEveryLevel() {
        MemoryStore store = new MemoryStore("reg").withReferrersApi();
        Graph g = graph(store);
        Node top = new ReferrersTree(store).walk("v1", SBOM);
        assertEquals(List.of(g.sbom().digest().toString()), top.referrers().stream().map(Node::digest).toList());
        assertEquals(List.of(), top.referrers().get(0).referrers(), "the SBOM's signature is no SBOM");
    }

    @Test
    void anImageWithoutReferrersIsATreeOfOne() {
        MemoryStore store = new MemoryStore("reg");
        Image image = Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1));
        Node top = new ReferrersTree(store).walk("v1", null);
        assertEquals(image.digest().toString(), top.digest());
        assertEquals(List.of(), top.referrers());
    }

    @Test
    void tagSchemaIndexesThatListEachOtherAreACycle() {
        MemoryStore store = new MemoryStore("reg");
        Image image = Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sig = Images.referrer(store, image.manifest().descriptor(), SIG, "sig", null);
        Images.tagSchemaIndex(store, image.digest(), typed(sig, SIG, null));
        Images.tagSchemaIndex(store, sig.digest(), typed(image.manifest(), SIG, null));

        RegctlException e = assertThrows(RegctlException.class, () -> new ReferrersTree(store).walk("v1", null));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().contains("form a cycle"), e.getMessage());
    }

    @Test
    void anEndlessChainStopsAtTheDepthLimit() {
        MemoryStore store = new MemoryStore("reg").withReferrersApi();
        Descriptor subject = Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1)).manifest().descriptor();
        for (int i = 0; i <= ManifestWalk.MAX_REFERRER_DEPTH; i++) {
            subject = Images.referrer(store, subject, SIG, "sig " + i, null).descriptor();
        }
        RegctlException e = assertThrows(RegctlException.class, () -> new ReferrersTree(store).walk("v1", null));
        assertTrue(e.getMessage().contains("nested more than " + ManifestWalk.MAX_REFERRER_DEPTH), e.getMessage());
    }

    @Test
    void aMissingImageIsNotFound() {
        RegctlException e = assertThrows(RegctlException.class, () -> new ReferrersTree(new MemoryStore("reg")).walk("v1", null));
        assertEquals(RegctlException.Kind.NOT_FOUND, e.kind());
    }
}
