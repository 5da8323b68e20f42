package dev.regctl.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.store.ImageStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * The referrers tag schema's index ({@code sha256-<hex>}): what a client keeps up to date on a
 * registry without the referrers API, so that the referrers it pushed can be found. The
 * distribution spec gives that job to whoever pushes or deletes a manifest with a {@code subject}.
 */
public final class ReferrersIndex {

    /** How often the index is written before giving up on a tag that others keep moving. */
    private static final int MAX_ATTEMPTS = 10;
    private static final long SETTLE_MILLIS = 100;

    private ReferrersIndex() {
    }

    /**
     * The subject a manifest names in its {@code subject} field, or null. A manifest that cannot be
     * read as one has none: it could not have been listed as a referrer either.
     */
    public static Digest subjectOf(RawManifest manifest) {
        try {
            Descriptor subject = manifest.isIndex() ? manifest.index().subject() : manifest.manifest().subject();
            return subject == null ? null : subject.digest();
        } catch (RegctlException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The entry that lists {@code referrer}: its descriptor with the artifact type (its
     * {@code artifactType}, else its config's media type) and annotations, as the API reports them.
     */
    public static Descriptor entry(RawManifest referrer) {
        String artifactType;
        Map<String, String> annotations;
        if (referrer.isIndex()) {
            artifactType = referrer.index().artifactType();
            annotations = referrer.index().annotations();
        } else {
            var m = referrer.manifest();
            artifactType = m.artifactType() != null ? m.artifactType() : m.config() != null ? m.config().mediaType() : null;
            annotations = m.annotations();
        }
        return new Descriptor(referrer.mediaType(), referrer.digest(), referrer.size(), null, artifactType,
                annotations, null);
    }

    /**
     * Makes {@code store} list {@code referrers} of {@code subject}: where it does not already (it
     * has no referrers API, or its index lacks them), adds them to the subject's tag schema index.
     * Others may be updating that index at the same time, and the distribution API has no
     * conditional write, so no entry is lost this way: the index is read, merged, written only if
     * the tag has not moved since the read, then read again after a pause; until that read lists
     * the referrers and every entry seen in any earlier read, it is merged and written again.
     *
     * @return the index the tag holds afterwards, or empty when the store listed them all
     * @throws RegctlException FAILURE when the tag holds something other than an index, which the
     *                         spec has the client report rather than overwrite, or when the
     *                         index kept changing under every attempt
     */
    public static Optional<RawManifest> list(ImageStore store, Digest subject, List<Descriptor> referrers) {
        Set<Digest> listed = store.referrers(subject).stream().map(Descriptor::digest).collect(Collectors.toSet());
        List<Descriptor> missing = referrers.stream().filter(d -> !listed.contains(d.digest())).toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String tag = ReferrerTags.fallback(subject);
        Map<String, JsonNode> wanted = new LinkedHashMap<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Snapshot read = current(store, tag);
            read.entries().forEach(wanted::putIfAbsent);
            missing.forEach(d -> wanted.putIfAbsent(d.digest().toString(), Json.mapper().valueToTree(d)));
            ArrayNode manifests = (ArrayNode) read.root().get("manifests");
            Set<String> have = read.entries().keySet();
            wanted.forEach((digest, entry) -> {
                if (!have.contains(digest)) {
                    manifests.add(entry);
                }
            });
            if (!Objects.equals(store.headManifest(tag).map(Descriptor::digest).orElse(null), read.digest())) {
                continue;
            }
            store.putManifest(write(read.root()), tag);
            settle();
            Snapshot after = current(store, tag);
            if (after.entries().keySet().containsAll(wanted.keySet())) {
                return Optional.of(after.manifest());
            }
        }
        throw new RegctlException(RegctlException.Kind.FAILURE, store.name() + ":" + tag + ": the referrers index kept"
                + " changing while " + MAX_ATTEMPTS + " attempts wrote it", "run the command again", null);
    }

    /**
     * Stops {@code store} listing the deleted {@code referrer} of {@code subject}: where it still
     * does, the list came from the tag schema index (a registry with the API drops a deleted
     * manifest itself), which is pushed again without it. An emptied index is pushed empty, as
     * the spec's steps say; deleting the tag is only allowed, and on a registry that cannot untag
     * would mean deleting by digest an empty index other subjects share.
     *
     * @return the index pushed, or empty when the store no longer listed it
     */
    public static Optional<RawManifest> unlist(ImageStore store, Digest subject, Digest referrer) {
        if (store.referrers(subject).stream().noneMatch(d -> referrer.equals(d.digest()))) {
            return Optional.empty();
        }
        String tag = ReferrerTags.fallback(subject);
        ObjectNode root = current(store, tag).root();
        boolean removed = false;
        for (Iterator<JsonNode> it = root.get("manifests").elements(); it.hasNext(); ) {
            if (referrer.toString().equals(it.next().path("digest").asText())) {
                it.remove();
                removed = true;
            }
        }
        if (!removed) {
            return Optional.empty();
        }
        RawManifest index = write(root);
        store.putManifest(index, tag);
        return Optional.of(index);
    }

    /**
     * What the tag holds: the index's JSON to change, its entries by digest, and its own digest
     * and bytes (null when there is no tag yet).
     */
    private record Snapshot(ObjectNode root, Map<String, JsonNode> entries, Digest digest, RawManifest manifest) {
    }

    /** The index {@code tag} holds, to be changed and pushed again; a new one when there is none. */
    private static Snapshot current(ImageStore store, String tag) {
        Optional<RawManifest> existing = store.findManifest(tag);
        if (existing.isEmpty()) {
            return new Snapshot(empty(), Map.of(), null, null);
        }
        JsonNode root = null;
        if (existing.get().isIndex()) {
            try {
                root = Json.readTree(existing.get().bytes());
            } catch (IOException e) {
                root = null;
            }
        }
        if (!(root instanceof ObjectNode object) || !(object.get("manifests") instanceof ArrayNode manifests)) {
            throw new RegctlException(RegctlException.Kind.FAILURE, store.name() + ":" + tag + " is not a referrers index"
                    + " (it holds " + existing.get().mediaType() + " " + existing.get().digest() + "), so it was left as it is",
                    "the tag is the referrers tag schema's name for the referrers of " + tag.replaceFirst("-", ":")
                            + "; move what it holds to another tag", null);
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        manifests.forEach(m -> entries.putIfAbsent(m.path("digest").asText(), m.deepCopy()));
        return new Snapshot(object, entries, existing.get().digest(), existing.get());
    }

    /**
     * Waits before reading back what was written, long enough for a writer that read the tag
     * before our write to have written too; the jitter keeps two writers from meeting again.
     */
    private static void settle() {
        try {
            Thread.sleep(SETTLE_MILLIS + ThreadLocalRandom.current().nextLong(SETTLE_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegctlException(RegctlException.Kind.FAILURE, "interrupted while updating a referrers index");
        }
    }

    private static RawManifest write(ObjectNode root) {
        try {
            return RawManifest.of(Json.mapper().writeValueAsBytes(root), MediaTypes.OCI_INDEX);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot write the referrers index: " + e.getMessage(), null, e);
        }
    }

    private static ObjectNode empty() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        root.putArray("manifests");
        return root;
    }
}
