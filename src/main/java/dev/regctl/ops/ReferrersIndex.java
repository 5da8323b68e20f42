package dev.regctl.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The referrers tag schema's index ({@code sha256-<hex>}): what a client keeps up to date on a
 * registry without the referrers API, so that the referrers it pushed can be found.
 */
final class ReferrersIndex {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferrersIndex() {
    }

    /** {@code existing} (null, or not an index: a new one) with {@code added} appended, each digest once. */
    static RawManifest with(RawManifest existing, List<Descriptor> added) {
        ObjectNode root;
        try {
            root = existing != null && existing.isIndex() ? (ObjectNode) JSON.readTree(existing.bytes()) : empty();
        } catch (IOException e) {
            root = empty();
        }
        JsonNode listed = root.get("manifests");
        ArrayNode manifests = listed instanceof ArrayNode array ? array : root.putArray("manifests");
        Set<String> have = new HashSet<>();
        manifests.forEach(m -> have.add(m.path("digest").asText()));
        for (Descriptor d : added) {
            if (have.add(d.digest())) {
                manifests.add(JSON.valueToTree(d));
            }
        }
        try {
            return RawManifest.of(JSON.writeValueAsBytes(root), MediaTypes.OCI_INDEX);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot write the referrers index: " + e.getMessage(), null, e);
        }
    }

    private static ObjectNode empty() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        root.putArray("manifests");
        return root;
    }
}
