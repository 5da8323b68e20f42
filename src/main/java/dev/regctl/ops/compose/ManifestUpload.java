package dev.regctl.ops.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.IOException;

/**
 * Pushes manifest bytes exactly as given, under the tag or digest a reference names. The media
 * type is the document's own, else the one the caller names; it is never guessed, since the
 * registry stores it and serves it to every later reader.
 */
public final class ManifestUpload {

    /** What was pushed (or, in a dry run, would be); {@code tag} is null when pushed by digest only. */
    public record Result(String repository, String tag, String digest, String mediaType, long size, boolean dryRun) {
    }

    private final ImageStore store;

    public ManifestUpload(ImageStore store) {
        this.store = store;
    }

    /**
     * The manifest {@code bytes} are, with their media type.
     *
     * @param mediaTypeOption the type named by the caller, or null
     * @param source how to name the bytes in messages
     */
    public static RawManifest manifest(byte[] bytes, String mediaTypeOption, String source) {
        String declared = declaredType(bytes, source);
        if (mediaTypeOption != null && !MediaTypes.MANIFESTS.contains(mediaTypeOption)) {
            throw usage(source + ": --media-type " + mediaTypeOption + " is not a manifest type",
                    "one of " + String.join(", ", MediaTypes.MANIFESTS));
        }
        if (declared != null && mediaTypeOption != null && !declared.equals(mediaTypeOption)) {
            throw usage(source + ": the document says mediaType " + declared + " but --media-type is " + mediaTypeOption,
                    "drop --media-type, or fix the document");
        }
        String mediaType = declared != null ? declared : mediaTypeOption;
        if (mediaType == null) {
            throw usage(source + ": the document has no mediaType field", "name its type with --media-type, e.g. "
                    + MediaTypes.OCI_MANIFEST);
        }
        return RawManifest.of(bytes, mediaType);
    }

    /** Pushes {@code manifest} where {@code ref} says: its tag, else its digest, which must be the bytes'. */
    public Result put(ImageRef ref, RawManifest manifest, boolean dryRun) {
        if (ref.digest() != null && !manifest.hasDigest(ref.digest())) {
            throw usage("manifest put " + ref + ": the bytes' digest is " + manifest.digest() + ", not " + ref.digest(),
                    "push by tag, or name the bytes' digest");
        }
        String tag = ref.digest() != null ? null : ref.tag();
        if (tag != null && !store.canHoldTag(tag)) {
            throw usage("manifest put " + ref + ": " + store.name() + " cannot hold the tag " + tag, null);
        }
        if (!dryRun) {
            store.putManifest(manifest, tag);
        }
        return new Result(store.name(), tag, manifest.digest().toString(), manifest.mediaType(), manifest.size(), dryRun);
    }

    private static String declaredType(byte[] bytes, String source) {
        JsonNode tree;
        try {
            tree = Json.readTree(bytes);
        } catch (IOException e) {
            throw usage(source + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""), null);
        }
        if (tree == null || !tree.isObject()) {
            throw usage(source + ": not a JSON object, so not a manifest", null);
        }
        JsonNode type = tree.get("mediaType");
        if (type == null || type.isNull()) {
            return null;
        }
        if (!type.isTextual() || type.asText().isEmpty()) {
            throw usage(source + ": its mediaType is not a media type", null);
        }
        return type.asText();
    }

    private static RegctlException usage(String message, String hint) {
        return new RegctlException(RegctlException.Kind.USAGE, message, hint, null);
    }
}
