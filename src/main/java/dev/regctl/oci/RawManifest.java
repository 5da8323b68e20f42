package dev.regctl.oci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.RegctlException;
import java.io.IOException;

/**
 * Manifest bytes exactly as served, with the media type and the digest computed from those
 * bytes. The parsed views are derived from the bytes, never the other way round.
 */
public record RawManifest(String mediaType, byte[] bytes, Digest digest) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * Wraps bytes received for a manifest. The media type comes from the document's own
     * {@code mediaType} field when present, else from the Content-Type the server sent, else is
     * guessed from the shape (an OCI index has {@code manifests}).
     */
    public static RawManifest of(byte[] bytes, String contentType) {
        JsonNode tree = tree(bytes);
        String mediaType = tree.path("mediaType").asText(null);
        if (mediaType == null || mediaType.isEmpty()) {
            String ct = contentType == null ? "" : contentType.split(";")[0].trim();
            if (MediaTypes.MANIFESTS.contains(ct)) {
                mediaType = ct;
            } else {
                mediaType = tree.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
            }
        }
        return new RawManifest(mediaType, bytes, Digest.sha256(bytes));
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    public long size() {
        return bytes.length;
    }

    /** The descriptor that points at this manifest. */
    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, bytes.length);
    }

    public Manifest manifest() {
        if (isIndex()) {
            throw new IllegalStateException("manifest " + digest + " is an index");
        }
        return read(Manifest.class);
    }

    public Index index() {
        if (!isIndex()) {
            throw new IllegalStateException("manifest " + digest + " is not an index");
        }
        return read(Index.class);
    }

    private <T> T read(Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            // A well-formed manifest whose content we refuse, e.g. a descriptor size below 0: say that, not "bad JSON".
            String why = e.getCause() instanceof RegctlException r ? r.getMessage() : e.getOriginalMessage();
            throw new RegctlException(RegctlException.Kind.FAILURE, "manifest " + digest + ": " + why, null, e);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "manifest " + digest + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), null, e);
        }
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new RegctlException(RegctlException.Kind.FAILURE, "manifest is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "manifest is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), null, e);
        }
    }
}
