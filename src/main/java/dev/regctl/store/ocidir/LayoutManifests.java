package dev.regctl.store.ocidir;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;

/**
 * The manifests among a layout's blobs: read bounded and verified, and told apart from configs
 * and layers, which are blobs too.
 */
final class LayoutManifests {

    private final LayoutContent content;
    private final LayoutBlobStore blobs;
    private final LayoutErrors errors;

    LayoutManifests(LayoutContent content, LayoutBlobStore blobs, LayoutErrors errors) {
        this.content = content;
        this.blobs = blobs;
        this.errors = errors;
    }

    /**
     * The manifest a target names, identified by the target's digest: a sha512 entry's manifest
     * keeps its sha512 digest. The media type is the document's own, else that of its entry.
     */
    RawManifest read(Target target) {
        byte[] bytes = bytes(target);
        return RawManifest.of(bytes, target.entry() == null ? null : target.entry().mediaType()).identifiedBy(target.digest());
    }

    /**
     * The manifest's descriptor if the layout has it. Trusts the target's index.json entry when
     * its blob is present with the right size; otherwise reads the blob.
     */
    Optional<Descriptor> head(Target target) {
        Descriptor entry = target.entry();
        if (entry != null && entry.mediaType() != null && entry.size() > 0) {
            Descriptor listed = new Descriptor(entry.mediaType(), target.digest(), entry.size());
            if (blobs.has(listed)) {
                return Optional.of(listed);
            }
        }
        try {
            return Optional.of(read(target).descriptor());
        } catch (RegctlException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The entry's manifest as JSON, or null when it is missing or no manifest. */
    JsonNode tree(Descriptor entry) {
        byte[] bytes;
        try {
            bytes = bytes(Target.byDigest(entry.digest(), entry));
        } catch (RegctlException e) {
            if (e.kind() == Kind.NOT_FOUND || e.kind() == Kind.USAGE) {
                return null;
            }
            throw e;
        }
        try {
            return Json.readTree(bytes);
        } catch (IOException e) {
            return null; // bytes() only returns JSON objects; unreachable in practice
        }
    }

    /** A signature or SBOM listed so it can be found, not an image one would pick. */
    boolean isReferrer(Descriptor entry) {
        try {
            Digest digest = Digest.parse(String.valueOf(entry.digest()));
            return Json.readTree(bytes(Target.byDigest(digest, entry))).has("subject");
        } catch (RegctlException | IOException e) {
            return false; // unreadable: it stays a choice, and reading it will say what is wrong
        }
    }

    /** The digests of an index's manifests; none when {@code digest} is no readable index. */
    Set<String> childrenIfIndex(Digest digest) {
        try {
            return LayoutIndex.childDigests(bytes(Target.byDigest(digest, null)));
        } catch (RegctlException e) {
            return Set.of(); // no readable manifest, so no children to look for
        }
    }

    /** The verified bytes of a manifest blob; NOT_FOUND when missing or not a manifest at all. */
    private byte[] bytes(Target target) {
        Digest digest = target.digest();
        // A size of 0 is what a missing "size" parses as: unknown, so only the read is bounded.
        long size = target.entry() == null ? 0 : target.entry().size();
        if (size > RawManifest.MAX_SIZE) {
            throw notAManifest(digest, "its descriptor says " + size + " bytes, over " + RawManifest.MAX_SIZE / (1024 * 1024) + " MiB");
        }
        byte[] bytes;
        try (InputStream in = size == 0 ? content.openUnsized(digest) : content.open(digest, size)) {
            bytes = in.readNBytes(RawManifest.MAX_SIZE + 1);
            // Anything shorter ended at EOF, where the stream has verified it.
            if (bytes.length > RawManifest.MAX_SIZE) {
                throw notAManifest(digest, "it is over " + RawManifest.MAX_SIZE / (1024 * 1024) + " MiB");
            }
        } catch (NoSuchFileException e) {
            String what = target.byTag()
                    ? "tag \"" + target.reference() + "\" points at " + digest + ", whose blob is missing"
                    : "manifest " + digest + " not found";
            throw new RegctlException(Kind.NOT_FOUND, errors.name() + ": " + what);
        } catch (RefusedFileException e) {
            throw errors.refused(e);
        } catch (IOException e) {
            throw LayoutErrors.failure(errors.name() + ": manifest " + digest + ": " + FileErrors.describe(e), e);
        }
        if (!looksLikeManifest(bytes)) {
            throw notAManifest(digest, "it is not a JSON object with a schemaVersion");
        }
        return bytes;
    }

    private RegctlException notAManifest(Digest digest, String why) {
        return new RegctlException(Kind.NOT_FOUND, errors.name() + ": " + digest + " is not a manifest: " + why);
    }

    /**
     * Manifests and indexes of every kind carry a schemaVersion, but for OCI 1.1-rc artifact
     * manifests (ORAS 1.0, notation rc), which name their media type instead; configs and layers do neither.
     */
    private static boolean looksLikeManifest(byte[] bytes) {
        try {
            JsonNode tree = Json.readTree(bytes);
            return tree != null && tree.isObject() && (tree.has("schemaVersion")
                    || MediaTypes.isArtifactManifest(tree.path("mediaType").asText("")));
        } catch (IOException e) {
            return false;
        }
    }
}
