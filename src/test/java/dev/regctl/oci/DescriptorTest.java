package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException.Kind;
import dev.regctl.RegctlException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DescriptorTest {

    private static final Digest DIGEST = Digest.sha256(new byte[0]);

    @Test
    void aNegativeSizeIsRefused() {
        RegctlException e = assertThrows(RegctlException.class,
                () -> new Descriptor(MediaTypes.OCI_LAYER_GZIP, DIGEST, -1));
        assertEquals(Kind.FAILURE, e.kind());
        assertEquals("descriptor of " + DIGEST + ": size -1 is negative", e.getMessage());
    }

    @Test
    void aSizeOverTheBoundIsRefused() {
        RegctlException e = assertThrows(RegctlException.class,
                () -> new Descriptor(MediaTypes.OCI_LAYER_GZIP, DIGEST, Descriptor.MAX_SIZE + 1));
        assertEquals("descriptor of " + DIGEST + ": size " + (Descriptor.MAX_SIZE + 1)
                + " is over the 1 TiB regctl accepts", e.getMessage());
    }

    @Test
    void sizesFromZeroToTheBoundAreAccepted() {
        assertEquals(0, new Descriptor(MediaTypes.OCI_LAYER_GZIP, DIGEST, 0).size());
        assertEquals(1L << 40, new Descriptor(MediaTypes.OCI_LAYER_GZIP, DIGEST, Descriptor.MAX_SIZE).size());
    }

    @Test
    void aManifestWithANegativeLayerSizeDoesNotParse() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + DIGEST + "\",\"size\":0},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + DIGEST
                + "\",\"size\":-1}]}";
        RawManifest manifest = RawManifest.of(json.getBytes(StandardCharsets.UTF_8), null);

        RegctlException e = assertThrows(RegctlException.class, manifest::manifest);
        assertTrue(e.getMessage().contains("size -1 is negative"), e.getMessage());
        assertFalse(e.getMessage().contains("JSON"), "well-formed JSON with a refused value: " + e.getMessage());
        assertFalse(e.getMessage().contains("Cannot construct"), e.getMessage());
    }

    @Test
    void anIndexWithAHugeChildSizeDoesNotParse() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + DIGEST
                + "\",\"size\":9223372036854775807}]}";
        RawManifest index = RawManifest.of(json.getBytes(StandardCharsets.UTF_8), null);

        RegctlException e = assertThrows(RegctlException.class, index::index);
        assertTrue(e.getMessage().contains("is over the 1 TiB regctl accepts"), e.getMessage());
    }
}
