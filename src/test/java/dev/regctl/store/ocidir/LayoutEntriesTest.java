package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ocidir.TestImages.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What index.json lists after writes: one entry per top-level image, as skopeo, crane and
 * regclient write it; the images an index lists are blobs only. A copy writes the children of
 * an index before the index itself, each without a tag, which these tests repeat.
 */
class LayoutEntriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path dir;
    private OciLayoutStore store;
    private Image amd;
    private Image arm;
    private RawManifest index;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("layout");
        store = OciLayoutStore.create(dir);
        amd = TestImages.image("amd64", new byte[] {1});
        arm = TestImages.image("arm64", new byte[] {2});
        index = TestImages.index(amd, arm);
    }

    @Test
    void aTaggedIndexIsOneEntryAndItsChildrenAreBlobsOnly() throws IOException {
        putAsCopyDoes(index, "multi");

        assertEquals(List.of(entry(index, "multi")), entries());
        for (Image child : List.of(amd, arm)) {
            assertArrayEquals(child.manifest().bytes(), store.fetchManifest(child.manifest().digest().toString()).bytes());
        }
    }

    @Test
    void anIndexWrittenByDigestOnlyIsOneUntaggedEntry() throws IOException {
        putAsCopyDoes(index, null);

        assertEquals(List.of(entry(index, null)), entries());
        assertEquals(index.descriptor(), store.resolve(null, null).bare());
    }

    @Test
    void anImageWrittenByDigestOnlyIsOneUntaggedEntry() throws IOException {
        TestImages.put(store, amd, null);

        assertEquals(List.of(entry(amd.manifest(), null)), entries());
    }

    @Test
    void deletingATaggedIndexLeavesNothingInIndexJson() throws IOException {
        putAsCopyDoes(index, "multi");

        store.deleteManifest(index.digest());

        assertEquals(List.of(), entries());
    }

    @Test
    void deletingAnIndexAlsoDropsTheUntaggedChildEntriesEarlierVersionsWrote() throws IOException {
        TestImages.put(store, amd, null);
        TestImages.put(store, arm, null);
        store.putManifest(index, null);
        Image other = TestImages.image("amd64", new byte[] {3});
        TestImages.put(store, other, null);
        // As regctl used to write it: the index tagged, plus one untagged entry per child.
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":["
                + entry(index, "multi") + "," + entry(amd.manifest(), null) + "," + entry(arm.manifest(), null)
                + "," + entry(other.manifest(), null) + "]}");

        store.deleteManifest(index.digest());

        assertEquals(List.of(entry(other.manifest(), null)), entries(), "an image the index does not list stays");
    }

    @Test
    void aChildAlsoTaggedOnItsOwnKeepsItsTag() throws IOException {
        TestImages.put(store, amd, "amd-only");
        putAsCopyDoes(index, "multi");

        assertEquals(List.of(entry(amd.manifest(), "amd-only"), entry(index, "multi")), entries());
        store.deleteManifest(index.digest());
        assertEquals(List.of(entry(amd.manifest(), "amd-only")), entries());
    }

    @Test
    void referrersStayListedSoTheyCanBeFound() throws IOException {
        putAsCopyDoes(index, "multi");
        RawManifest signature = TestImages.referrer(index.descriptor());
        store.putManifest(signature, null);

        assertEquals(List.of(entry(index, "multi"), entry(signature, null)), entries());
        assertEquals(List.of(signature.digest().toString()),
                store.referrers(index.digest()).stream().map(d -> d.digest().toString()).toList());
    }

    /** The order a copy writes in: the children untagged, then the index. */
    private void putAsCopyDoes(RawManifest top, String tag) {
        TestImages.put(store, amd, null);
        TestImages.put(store, arm, null);
        store.putManifest(top, tag);
    }

    private static JsonNode entry(RawManifest manifest, String tag) throws IOException {
        return JSON.readTree("{\"mediaType\":\"" + manifest.mediaType() + "\",\"digest\":\"" + manifest.digest()
                + "\",\"size\":" + manifest.size()
                + (tag == null ? "" : ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}")
                + "}");
    }

    private List<JsonNode> entries() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(dir.resolve("index.json").toFile()).path("manifests").forEach(out::add);
        assertTrue(out.stream().allMatch(JsonNode::isObject));
        return out;
    }
}
