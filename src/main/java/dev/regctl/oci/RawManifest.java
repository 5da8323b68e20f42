package dev.regctl.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.util.List;

/**
 * Manifest bytes exactly as served, with the media type and the digest computed from those
 * bytes (for a signed schema 1 manifest, from its signed payload, as registries compute it).
 * The parsed views are derived from the bytes, never the other way round.
 */
public record RawManifest(String mediaType, byte[] bytes, Digest digest) {
    /**
     * The largest manifest regctl reads, 4 MiB: what registries accept, so a bigger answer or
     * layout blob is not a manifest, and reading stops there whatever the source says.
     */
    public static final int MAX_SIZE = 4 * 1024 * 1024;

    /**
     * Wraps bytes received for a manifest. The media type comes from the document's own
     * {@code mediaType} field when present, else from the Content-Type the server sent, else is
     * guessed from the shape (an OCI index has {@code manifests}, schema 1 says {@code schemaVersion} 1).
     */
    public static RawManifest of(byte[] bytes, String contentType) {
        JsonNode tree = tree(bytes);
        String mediaType = tree.path("mediaType").asText(null);
        if (mediaType == null || mediaType.isEmpty()) {
            String ct = contentType == null ? "" : contentType.split(";")[0].trim();
            if (MediaTypes.MANIFESTS.contains(ct)) {
                mediaType = ct;
            } else if (tree.path("schemaVersion").asInt() == 1) {
                mediaType = tree.has("signatures") ? MediaTypes.DOCKER_SCHEMA1_SIGNED : MediaTypes.DOCKER_SCHEMA1;
            } else {
                mediaType = tree.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
            }
        }
        byte[] identified = MediaTypes.isSchema1(mediaType) ? Schema1Payload.of(bytes, tree) : bytes;
        return new RawManifest(mediaType, bytes, Digest.sha256(identified));
    }

    /**
     * True when {@code digest} identifies this manifest: the digest of its bytes, or of a signed
     * schema 1 manifest's payload. Works for any algorithm, unlike comparing with {@link #digest()}.
     */
    public boolean hasDigest(Digest digest) {
        return digest.isDigestOf(isSchema1() ? Schema1Payload.of(bytes) : bytes);
    }

    /**
     * This manifest as {@code digest} names it, when that is one of its digests by another
     * algorithm than {@link #digest()}'s: content written and referenced by sha512 keeps that
     * identity through every copy, instead of becoming a sha256 that its parent index and its
     * layout do not list. Otherwise (the same algorithm, or a digest of other content) unchanged.
     */
    public RawManifest identifiedBy(Digest digest) {
        if (digest == null || digest.algorithm().equals(this.digest.algorithm()) || !hasDigest(digest)) {
            return this;
        }
        return new RawManifest(mediaType, bytes, digest);
    }

    /** True for an OCI 1.1-rc artifact manifest: no config, its blobs are its {@linkplain Manifest#layers() layers}. */
    public boolean isArtifactManifest() {
        return MediaTypes.isArtifactManifest(mediaType);
    }

    /** True for a Docker schema 1 manifest, signed or not. */
    public boolean isSchema1() {
        return MediaTypes.isSchema1(mediaType);
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

    /**
     * The image manifest view. A schema 1 manifest has neither a config blob nor layer
     * descriptors (its layers carry no size), so its view lists none: read {@link #schema1()}.
     */
    public Manifest manifest() {
        if (isIndex()) {
            throw new IllegalStateException("manifest " + digest + " is an index");
        }
        if (isSchema1()) {
            return new Manifest(1, mediaType, null, null, List.of(), null, null);
        }
        return read(Manifest.class);
    }

    /** The schema 1 view: layers by digest, platform and creation time from the v1 history. */
    public Schema1Manifest schema1() {
        if (!isSchema1()) {
            throw new IllegalStateException("manifest " + digest + " is not schema 1");
        }
        return read(Schema1Manifest.class);
    }

    public Index index() {
        if (!isIndex()) {
            throw new IllegalStateException("manifest " + digest + " is not an index");
        }
        return read(Index.class);
    }

    private <T> T read(Class<T> type) {
        try {
            return Json.mapper().readValue(bytes, type);
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
            JsonNode node = Json.readTree(bytes);
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
