package dev.regctl.store.ocidir;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A layout's {@code index.json}: the entries that name its tags and keep its manifests reachable.
 * Held as a JSON tree, not a record, so that fields and annotations regctl does not model, which
 * other tools may have written, survive a rewrite.
 */
public final class LayoutIndex {

    /** The annotation whose value is an entry's tag. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    /** How an entry is named to the user: its tag, or its digest when it has none. */
    static String nameOf(Descriptor entry) {
        String tag = entry.annotations() == null ? null : entry.annotations().get(REF_NAME);
        return tag != null ? tag : entry.digest().toString();
    }

    private final ObjectNode root;
    private final ArrayNode manifests;

    private LayoutIndex(ObjectNode root, ArrayNode manifests) {
        this.root = root;
        this.manifests = manifests;
    }

    /** The index of a new layout: no entries. */
    public static LayoutIndex empty() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        return new LayoutIndex(root, root.putArray("manifests"));
    }

    /** Parses index.json. */
    public static LayoutIndex parse(byte[] bytes) throws IOException {
        JsonNode tree = Json.readTree(bytes);
        if (tree == null || !tree.isObject()) {
            throw new IOException("not a JSON object");
        }
        ObjectNode root = (ObjectNode) tree;
        JsonNode manifests = root.get("manifests");
        if (manifests == null || manifests.isNull()) {
            // Required by the spec, but nothing is lost by reading its absence as "no entries".
            return new LayoutIndex(root, root.putArray("manifests"));
        }
        if (!manifests.isArray()) {
            throw new IOException("\"manifests\" is not an array");
        }
        return new LayoutIndex(root, (ArrayNode) manifests);
    }

    public byte[] toBytes() throws IOException {
        return Json.mapper().writeValueAsBytes(root);
    }

    /** Every entry tagged {@code tag}, in index order: more than one only when a writer erred. */
    List<Descriptor> allTagged(String tag) throws IOException {
        List<Descriptor> out = new ArrayList<>(1);
        for (JsonNode entry : manifests) {
            if (tag.equals(refName(entry))) {
                out.add(descriptor(entry));
            }
        }
        return out;
    }

    /** The first entry pointing at {@code digest}, tagged or not. */
    Optional<Descriptor> withDigest(String digest) throws IOException {
        for (JsonNode entry : manifests) {
            if (digest.equals(entry.path("digest").asText())) {
                return Optional.of(descriptor(entry));
            }
        }
        return Optional.empty();
    }

    /** Every entry, tagged or not, in index order. */
    public List<Descriptor> entries() throws IOException {
        List<Descriptor> out = new ArrayList<>(manifests.size());
        for (JsonNode entry : manifests) {
            out.add(descriptor(entry));
        }
        return out;
    }

    /** Every tag once, in index order. */
    List<String> tags() {
        Set<String> tags = new LinkedHashSet<>();
        for (JsonNode entry : manifests) {
            String tag = refName(entry);
            if (tag != null) {
                tags.add(tag);
            }
        }
        return new ArrayList<>(tags);
    }

    /**
     * Points {@code tag} at {@code target}: the first entry with that tag is replaced where it
     * stands (so tag order is stable) and any later duplicates are dropped.
     *
     * @return false when the tag already pointed there and nothing changed
     */
    public boolean tag(Descriptor target, String tag) {
        ObjectNode entry = entry(target);
        entry.putObject("annotations").put(REF_NAME, tag);
        int first = -1;
        for (int i = 0; i < manifests.size(); i++) {
            if (tag.equals(refName(manifests.get(i)))) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            manifests.add(entry);
            return true;
        }
        boolean removedDuplicates = removeTagAfter(tag, first);
        if (pointsAt(manifests.get(first), target)) {
            // Left as it is, with any annotations another tool added to it.
            return removedDuplicates;
        }
        // The old entry's other annotations described the old image, so they go with it.
        manifests.set(first, entry);
        return true;
    }

    /**
     * Records a manifest just stored: under {@code tag} (moving the tag if it pointed elsewhere),
     * or when {@code tag} is null as an untagged entry unless an entry already points at it.
     *
     * @return how many entries changed
     */
    public int record(RawManifest manifest, String tag) {
        Descriptor descriptor = manifest.descriptor();
        // A copy writes an index's images first, untagged; once the index lists them they are
        // blobs only, as other tools write them, so a lone index needs no tag to be read.
        Set<String> children = childDigests(manifest.bytes());
        return ((tag == null ? addUntagged(descriptor) : tag(descriptor, tag)) ? 1 : 0) + removeUntagged(children);
    }

    /** The digests an index lists; none for anything else, or for what does not parse. */
    static Set<String> childDigests(byte[] manifest) {
        Set<String> children = new HashSet<>();
        try {
            Json.readTree(manifest).path("manifests").forEach(d -> children.add(d.path("digest").asText()));
        } catch (IOException e) {
            // Not JSON: lists nothing.
        }
        return children;
    }

    /**
     * Adds an entry without a tag for {@code target}, which keeps it reachable, unless some
     * entry already points at it.
     *
     * @return false when nothing changed
     */
    public boolean addUntagged(Descriptor target) {
        for (JsonNode e : manifests) {
            if (target.digest().toString().equals(e.path("digest").asText())) {
                return false;
            }
        }
        manifests.add(entry(target));
        return true;
    }

    /**
     * Removes the untagged entries pointing at any of {@code digests}: the images an index lists
     * are reachable through it, so other tools expect them as blobs only, not as entries.
     *
     * @return how many entries were removed
     */
    public int removeUntagged(Set<String> digests) {
        int removed = 0;
        for (Iterator<JsonNode> it = manifests.elements(); it.hasNext(); ) {
            JsonNode entry = it.next();
            if (refName(entry) == null && digests.contains(entry.path("digest").asText())) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** Removes every entry pointing at {@code digest}; returns how many there were. */
    int removeDigest(String digest) {
        int removed = 0;
        for (Iterator<JsonNode> it = manifests.elements(); it.hasNext(); ) {
            if (digest.equals(it.next().path("digest").asText())) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /**
     * Takes {@code tag} off every entry that has it. An entry is dropped only when another entry
     * still points at its digest; otherwise it stays, untagged, so the manifest remains reachable.
     *
     * @return how many entries had the tag
     */
    int untag(String tag) {
        int found = 0;
        for (int i = manifests.size() - 1; i >= 0; i--) {
            JsonNode entry = manifests.get(i);
            if (!tag.equals(refName(entry))) {
                continue;
            }
            found++;
            if (otherEntryPointsAt(entry.path("digest").asText(), i)) {
                manifests.remove(i);
            } else {
                ObjectNode annotations = (ObjectNode) entry.get("annotations");
                annotations.remove(REF_NAME);
                if (annotations.isEmpty()) {
                    ((ObjectNode) entry).remove("annotations");
                }
            }
        }
        return found;
    }

    private boolean otherEntryPointsAt(String digest, int except) {
        for (int i = 0; i < manifests.size(); i++) {
            if (i != except && digest.equals(manifests.get(i).path("digest").asText())) {
                return true;
            }
        }
        return false;
    }

    private boolean removeTagAfter(String tag, int first) {
        boolean removed = false;
        for (int i = manifests.size() - 1; i > first; i--) {
            if (tag.equals(refName(manifests.get(i)))) {
                manifests.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    private static boolean pointsAt(JsonNode entry, Descriptor target) {
        return target.digest().toString().equals(entry.path("digest").asText())
                && Objects.equals(target.mediaType(), entry.path("mediaType").asText(null))
                && target.size() == entry.path("size").asLong(-1);
    }

    private static ObjectNode entry(Descriptor target) {
        return Json.mapper().valueToTree(target.bare());
    }

    private static String refName(JsonNode entry) {
        JsonNode name = entry.path("annotations").get(REF_NAME);
        return name != null && name.isTextual() ? name.textValue() : null;
    }

    private static Descriptor descriptor(JsonNode entry) throws IOException {
        try {
            return Json.mapper().treeToValue(entry, Descriptor.class);
        } catch (JsonMappingException e) {
            // A descriptor that refuses its own values (a negative size, say) says why in one
            // line; Jackson's wrapping would bury that under class names.
            if (e.getCause() instanceof RegctlException invalid) {
                throw new IOException(invalid.getMessage(), e);
            }
            throw e;
        }
    }
}
