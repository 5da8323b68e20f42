package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Images.Image;
import dev.regctl.testing.ImageParts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tags --long: one row per tag, readable or not, in tag order. */
class TagListerTest {
    private final MemoryStore store = new MemoryStore("r.example/app");

    /** A manifest whose config blob the store does not hold, as after a registry lost it. */
    private RawManifest missingConfig(String tag) {
        byte[] config = "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
        ObjectNode m = Images.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", Images.descriptor(new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length)));
        m.putArray("layers");
        RawManifest raw = RawManifest.of(Images.write(m), MediaTypes.OCI_MANIFEST);
        store.putManifest(raw, tag);
        return raw;
    }

    @Test
    void anUnreadableTagGetsARowSayingWhyAndTheOthersAreStillRead() {
        Image v1 = Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1));
        missingConfig("v2");
        Image v3 = Images.image(store, "v3", "linux/arm64", ImageParts.random(10, 3));

        List<TagDetail> rows = new TagLister(store).details(List.of("v1", "v2", "v3"));

        assertEquals(List.of("v1", "v2", "v3"), rows.stream().map(TagDetail::tag).toList());
        assertTrue(rows.get(0).readable());
        assertEquals(v1.digest().toString(), rows.get(0).digest());
        assertEquals(v3.digest().toString(), rows.get(2).digest());
        assertFalse(rows.get(1).readable());
        assertTrue(rows.get(1).error().contains("not found"), rows.get(1).error());
        assertNull(rows.get(1).digest(), "nothing half-read is reported");
    }

    @Test
    void aTagThatIsGoneBetweenListingAndReadingIsUnreadableToo() {
        Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1));

        List<TagDetail> rows = new TagLister(store).details(List.of("v1", "gone"));

        assertTrue(rows.get(0).readable());
        assertFalse(rows.get(1).readable());
    }

    @Test
    void anImageWithoutPlatformHasAnEmptyPlatformList() {
        Descriptor config = ImageParts.blob(store, MediaTypes.OCI_CONFIG,
                "{\"architecture\":\"\",\"os\":\"\"}".getBytes(StandardCharsets.UTF_8));
        ObjectNode m = Images.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", Images.descriptor(config));
        m.putArray("layers");
        store.putManifest(RawManifest.of(Images.write(m), MediaTypes.OCI_MANIFEST), "sig");

        assertEquals(List.of(), new TagLister(store).details(List.of("sig")).get(0).platforms());
    }
}
