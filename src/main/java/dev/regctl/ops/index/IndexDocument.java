package dev.regctl.ops.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Attestations;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of an index made from entries: checked (one image per platform, children the media
 * type can hold) before anything is sent, so {@code --dry-run} shows the digest that will be pushed.
 */
final class IndexDocument {

    private IndexDocument() {
    }

    /** A new index of {@code mediaType} (OCI index or Docker manifest list) listing {@code entries}. */
    static RawManifest create(String mediaType, List<IndexEntry> entries, Map<String, String> annotations) {
        ObjectNode root = Json.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", mediaType);
        root.putArray("manifests");
        if (!annotations.isEmpty()) {
            ObjectNode a = root.putObject("annotations");
            annotations.forEach(a::put);
        }
        return write(root, mediaType, entries);
    }

    /** {@code existing} with its entries replaced by {@code entries}, every other field kept as it was. */
    static RawManifest replacing(RawManifest existing, List<IndexEntry> entries) {
        ObjectNode root;
        try {
            root = (ObjectNode) Json.readTree(existing.bytes());
        } catch (java.io.IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "index " + existing.digest() + ": " + e.getMessage(), null, e);
        }
        return write(root, existing.mediaType(), entries);
    }

    private static RawManifest write(ObjectNode root, String mediaType, List<IndexEntry> entries) {
        requireHoldable(mediaType, entries);
        requireOnePerPlatform(entries);
        ArrayNode manifests = Json.mapper().createArrayNode();
        entries.forEach(e -> manifests.add(e.json()));
        root.set("manifests", manifests);
        try {
            return RawManifest.of(Json.mapper().writeValueAsBytes(root), mediaType);
        } catch (JsonProcessingException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot write the index: " + e.getOriginalMessage(), null, e);
        }
    }

    /**
     * A Docker manifest list holds Docker schema 2 images only: an OCI manifest listed there would
     * be read as what it is not, so it is refused rather than converted (which changes its digest).
     */
    private static void requireHoldable(String mediaType, List<IndexEntry> entries) {
        if (!MediaTypes.DOCKER_MANIFEST_LIST.equals(mediaType)) {
            return;
        }
        for (IndexEntry e : entries) {
            if (!MediaTypes.DOCKER_MANIFEST.equals(e.descriptor().mediaType())) {
                throw new RegctlException(RegctlException.Kind.USAGE, "a Docker manifest list cannot hold "
                        + e.from() + " (" + e.descriptor().digest() + "), a " + e.descriptor().mediaType() + " manifest",
                        "make an OCI index (leave out --format), or convert the image first: regctl copy --format v2s2", null);
            }
        }
    }

    /** Two images for one platform would leave a pull to chance; attestations describe images and are not counted. */
    private static void requireOnePerPlatform(List<IndexEntry> entries) {
        Map<Platform, IndexEntry> seen = new HashMap<>();
        for (IndexEntry e : entries) {
            Platform p = e.platform();
            if (p == null || Attestations.isAttestation(e.descriptor())) {
                continue;
            }
            IndexEntry other = seen.putIfAbsent(p, e);
            if (other != null) {
                throw new RegctlException(RegctlException.Kind.USAGE, "two images for " + e.descriptor().platform() + ": "
                        + other.from() + " (" + other.descriptor().digest() + ") and " + e.from() + " ("
                        + e.descriptor().digest() + ")", "leave one out, or pick platforms of an index with --platform", null);
            }
        }
    }
}
