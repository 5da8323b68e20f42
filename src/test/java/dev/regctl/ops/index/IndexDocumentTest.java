package dev.regctl.ops.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexDocumentTest {

    private static IndexEntry image(String mediaType, String content, String platform, String from) {
        Digest digest = Digest.sha256(content.getBytes(StandardCharsets.UTF_8));
        return IndexEntry.fresh(new Descriptor(mediaType, digest, 10, Platform.parse(platform), null, null, null), null, from);
    }

    @Test
    void listsTheEntriesAsGivenWithTheAnnotations() throws IOException {
        IndexEntry amd64 = image(MediaTypes.OCI_MANIFEST, "a", "linux/amd64", "app-amd64");
        IndexEntry arm64 = image(MediaTypes.DOCKER_MANIFEST, "b", "linux/arm64/v8", "app-arm64");

        RawManifest index = IndexDocument.create(MediaTypes.OCI_INDEX, List.of(amd64, arm64), Map.of("k", "v"));

        JsonNode json = Json.readTree(index.bytes());
        assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
        assertEquals(2, json.path("schemaVersion").asInt());
        assertEquals(amd64.descriptor().digest().toString(), json.path("manifests").path(0).path("digest").asText());
        assertEquals("v8", json.path("manifests").path(1).path("platform").path("variant").asText());
        assertEquals("v", json.path("annotations").path("k").asText());
        assertEquals(Digest.sha256(index.bytes()), index.digest());
    }

    @Test
    void twoImagesOfOnePlatformAreRefusedNamingBoth() {
        // arm64 and arm64/v8 are one platform.
        IndexEntry first = image(MediaTypes.OCI_MANIFEST, "a", "linux/arm64", "one");
        IndexEntry second = image(MediaTypes.OCI_MANIFEST, "b", "linux/arm64/v8", "two");

        RegctlException e = assertThrows(RegctlException.class,
                () -> IndexDocument.create(MediaTypes.OCI_INDEX, List.of(first, second), Map.of()));

        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("one (" + first.descriptor().digest() + ")")
                && e.getMessage().contains("two (" + second.descriptor().digest() + ")"), e.getMessage());
    }

    @Test
    void aDockerListTakesDockerImagesOnly() {
        IndexEntry docker = image(MediaTypes.DOCKER_MANIFEST, "a", "linux/amd64", "docker");
        IndexEntry oci = image(MediaTypes.OCI_MANIFEST, "b", "linux/arm64", "oci-image");

        RegctlException e = assertThrows(RegctlException.class,
                () -> IndexDocument.create(MediaTypes.DOCKER_MANIFEST_LIST, List.of(docker, oci), Map.of()));

        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("oci-image"), e.getMessage());
    }

    @Test
    void replacingKeepsEveryOtherFieldOfTheIndex() throws IOException {
        String existing = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[],"
                + "\"annotations\":{\"org.opencontainers.image.version\":\"1\"},\"x-extra\":[1,2]}";
        RawManifest old = RawManifest.of(existing.getBytes(StandardCharsets.UTF_8), null);
        IndexEntry amd64 = image(MediaTypes.OCI_MANIFEST, "a", "linux/amd64", "app");

        RawManifest index = IndexDocument.replacing(old, List.of(amd64));

        JsonNode json = Json.readTree(index.bytes());
        assertEquals("1", json.path("annotations").path("org.opencontainers.image.version").asText());
        assertEquals(2, json.path("x-extra").size());
        assertEquals(1, json.path("manifests").size());
    }
}
