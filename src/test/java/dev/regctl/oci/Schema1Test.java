package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class Schema1Test {

    @Test
    void aSignedManifestIsIdentifiedByItsPayloadNotItsBody() {
        byte[] first = SignedSchema1.signed("2024-01-01T00:00:00Z");
        byte[] second = SignedSchema1.signed("2024-01-02T00:00:00Z");
        assertFalse(java.util.Arrays.equals(first, second));

        RawManifest a = RawManifest.of(first, MediaTypes.DOCKER_SCHEMA1_SIGNED);
        RawManifest b = RawManifest.of(second, MediaTypes.DOCKER_SCHEMA1_SIGNED);

        Digest payload = Digest.sha256(SignedSchema1.payload());
        assertEquals(payload, a.digest());
        assertEquals(payload, b.digest());
        assertArrayEquals(first, a.bytes(), "the bytes are kept as served, signatures and all");
        assertEquals(first.length, a.descriptor().size());
    }

    @Test
    void thePayloadIsThePrefixTheHeaderNamesPlusItsTail() {
        assertArrayEquals(SignedSchema1.payload(), Schema1Payload.of(SignedSchema1.signed("t")));
    }

    @Test
    void anySupportedAlgorithmChecksThePayload() throws Exception {
        RawManifest m = RawManifest.of(SignedSchema1.signed("t"), MediaTypes.DOCKER_SCHEMA1_SIGNED);
        Digest sha512 = new Digest("sha512", HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-512").digest(SignedSchema1.payload())));
        assertTrue(m.hasDigest(sha512));
        assertTrue(m.hasDigest(m.digest()));
        assertFalse(m.hasDigest(Digest.sha256(m.bytes())), "the signed body's own hash is not its digest");
    }

    @Test
    void anUnsignedSchema1ManifestIsHashedAsItIs() {
        byte[] bytes = SignedSchema1.payload();
        RawManifest m = RawManifest.of(bytes, MediaTypes.DOCKER_SCHEMA1);
        assertEquals(Digest.sha256(bytes), m.digest());
        assertTrue(m.isSchema1());
    }

    @Test
    void schema1IsRecognisedWithoutAContentType() {
        assertEquals(MediaTypes.DOCKER_SCHEMA1_SIGNED, RawManifest.of(SignedSchema1.signed("t"), null).mediaType());
        assertEquals(MediaTypes.DOCKER_SCHEMA1, RawManifest.of(SignedSchema1.payload(), "application/json").mediaType());
        assertEquals(Digest.sha256(SignedSchema1.payload()), RawManifest.of(SignedSchema1.signed("t"), null).digest());
    }

    @Test
    void schema1IsAcceptedLastWhenFetching() {
        List<String> accepted = MediaTypes.MANIFESTS;
        assertEquals(List.of(MediaTypes.DOCKER_SCHEMA1_SIGNED, MediaTypes.DOCKER_SCHEMA1),
                accepted.subList(accepted.size() - 2, accepted.size()));
    }

    @Test
    void signaturesThatDisagreeAboutThePayloadAreRefused() {
        String payload = SignedSchema1.PAYLOAD;
        int cut = payload.lastIndexOf("\n}");
        byte[] body = (payload.substring(0, cut) + ",\n\"signatures\": [" + SignedSchema1.signature(cut, "\n}", "a")
                + ", " + SignedSchema1.signature(cut - 1, "\n}", "b") + "]\n}").getBytes(StandardCharsets.UTF_8);
        RegctlException e = assertThrows(RegctlException.class, () -> RawManifest.of(body, MediaTypes.DOCKER_SCHEMA1_SIGNED));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertEquals("signed schema 1 manifest: signatures 1 and 2 disagree about where the payload ends", e.getMessage());
    }

    @Test
    void aFormatLengthPastTheDocumentIsRefused() {
        String payload = SignedSchema1.PAYLOAD;
        int cut = payload.lastIndexOf("\n}");
        String body = payload.substring(0, cut) + ",\n\"signatures\": [" + SignedSchema1.signature(1_000_000, "}", "a") + "]\n}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        RegctlException e = assertThrows(RegctlException.class, () -> RawManifest.of(bytes, null));
        assertEquals("signed schema 1 manifest: signature 1: formatLength is not a position within the "
                + bytes.length + "-byte document", e.getMessage());
    }

    @Test
    void aProtectedHeaderThatIsNotBase64JsonIsRefused() {
        String payload = SignedSchema1.PAYLOAD;
        int cut = payload.lastIndexOf("\n}");
        byte[] body = (payload.substring(0, cut) + ",\"signatures\": [{\"protected\": \"%%%\"}]}").getBytes(StandardCharsets.UTF_8);
        RegctlException e = assertThrows(RegctlException.class, () -> RawManifest.of(body, null));
        assertEquals("signed schema 1 manifest: signature 1: the protected header is not base64url-encoded JSON",
                e.getMessage());
    }

    @Test
    void theSchema1ViewListsLayersBaseFirstWithPlatformAndCreation() {
        RawManifest m = RawManifest.of(SignedSchema1.signed("t"), MediaTypes.DOCKER_SCHEMA1_SIGNED);
        Schema1Manifest s = m.schema1();
        assertEquals(List.of(Digest.parse(SignedSchema1.LAYER_BASE), Digest.parse(SignedSchema1.LAYER_TOP)), s.layers());
        assertEquals("linux/arm64", s.platform());
        assertEquals("2020-01-02T03:04:05Z", s.created());
        assertEquals(List.of(), m.manifest().layers(), "no layer descriptors: schema 1 records no sizes");
        assertNotEquals(null, m.manifest());
    }

    @Test
    void aLayerThatIsNoDigestIsAFailureOfTheManifest() {
        byte[] bytes = "{\"schemaVersion\":1,\"fsLayers\":[{\"blobSum\":\"nope\"}]}".getBytes(StandardCharsets.UTF_8);
        RegctlException e = assertThrows(RegctlException.class, () -> RawManifest.of(bytes, null).schema1().layers());
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
    }
}
