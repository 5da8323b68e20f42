package dev.regctl.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Removes one tag from a registry repository and keeps the manifest it pointed to. Registries
 * that implement OCI 1.1's {@code DELETE /manifests/<tag>} do it in one request. Most do not
 * (distribution 2.8 answers 400 DIGEST_INVALID), and the distribution API has no other way to
 * untag; so the tag is moved onto a throwaway manifest made unique for this call, which is then
 * deleted by digest, taking the tag with it and nothing else.
 */
final class TagRemoval {
    /** The OCI 1.1 empty descriptor's content: the config and single layer of a content-less manifest. */
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
    private static final String EMPTY_MEDIA_TYPE = MediaTypes.OCI_EMPTY;
    private static final String ARTIFACT_TYPE = "application/vnd.dev.regctl.tag-deletion.v1";
    static final String NONCE_ANNOTATION = "dev.regctl.tag-deletion.nonce";

    private final ManifestsEndpoint manifests;
    private final BlobsEndpoint blobs;
    private final String repository;

    TagRemoval(ManifestsEndpoint manifests, BlobsEndpoint blobs, String repository) {
        this.manifests = manifests;
        this.blobs = blobs;
        this.repository = repository;
    }

    /**
     * Removes {@code tag}. Before the tag is touched the registry must show it allows deletes,
     * so a registry with deletes off never sees the throwaway manifest; should the final delete
     * still fail, the tag is put back on the manifest it had.
     */
    void remove(String tag) {
        if (manifests.deleteTag(tag)) {
            return;
        }
        String what = "delete tag " + repository + ":" + tag;
        RawManifest original = manifests.get(tag);
        manifests.requireDeletes(what);
        Descriptor empty = new Descriptor(EMPTY_MEDIA_TYPE, Digest.sha256(EMPTY_JSON), EMPTY_JSON.length);
        if (!blobs.exists(empty)) {
            blobs.upload(empty, new ByteArrayInputStream(EMPTY_JSON));
        }
        RawManifest throwaway = throwaway(tag, empty);
        manifests.put(throwaway, tag);
        try {
            manifests.delete(throwaway.digest());
        } catch (RegctlException e) {
            throw putBack(what, tag, original, throwaway, e);
        }
    }

    /**
     * A manifest no one else can have pushed: OCI 1.1's shape for an artifact without content,
     * told apart by a random nonce. Its type and annotations say what it is, should a failure
     * between push and delete leave it behind.
     */
    static RawManifest throwaway(String tag, Descriptor empty) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", ARTIFACT_TYPE);
        m.set("config", descriptor(empty));
        m.putArray("layers").add(descriptor(empty));
        m.putObject("annotations")
                .put("org.opencontainers.image.created", Instant.now().toString())
                .put("org.opencontainers.image.description", "placeholder pushed by regctl to delete tag " + tag)
                .put(NONCE_ANNOTATION, UUID.randomUUID().toString());
        try {
            return RawManifest.of(Json.mapper().writeValueAsBytes(m), MediaTypes.OCI_MANIFEST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RegctlException putBack(String what, String tag, RawManifest original, RawManifest throwaway,
                                    RegctlException cause) {
        try {
            manifests.put(original, tag);
        } catch (RegctlException again) {
            return new RegctlException(RegctlException.Kind.FAILURE, what + ": deleting placeholder "
                    + throwaway.digest() + " failed (" + cause.getMessage() + "), and putting the tag back on "
                    + original.digest() + " failed too: " + again.getMessage(),
                    "the tag now points at the placeholder; re-tag " + repository + "@" + original.digest()
                            + " as " + tag, cause);
        }
        return new RegctlException(cause.kind(), cause.getMessage() + " (tag " + tag + " is back on "
                + original.digest() + ")", cause.hint(), cause);
    }

    private static ObjectNode descriptor(Descriptor d) {
        return Json.mapper().valueToTree(d.bare());
    }
}
