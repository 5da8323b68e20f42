package dev.regctl.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code referrers}: what refers to an image (signatures, SBOMs, attestations) and, in turn, what
 * refers to those, as a tree, from whatever the store lists: its referrers API, its tag schema
 * indexes, or a layout's {@code index.json}. Walks keep {@link ManifestWalk}'s depth and cycle bounds.
 */
public final class ReferrersTree {
    /**
     * The most referrers one tree shows. Real trees have a handful; a DAG listed by hostile tag
     * schema indexes could otherwise unfold into exponentially many lines.
     */
    static final int MAX_NODES = 10_000;
    private static final int THREADS = 8;

    private final ImageStore store;

    public ReferrersTree(ImageStore store) {
        this.store = store;
    }

    /**
     * One manifest of the tree. Field names are the stable {@code -o json} contract.
     *
     * @param artifactType as the referrers list reports it (for the top, its own), or null
     * @param annotations  as the referrers list reports them (for the top, its own); never null
     * @param referrers    what refers to this manifest
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"digest", "mediaType", "artifactType", "size", "annotations", "referrers"})
    public record Node(String digest, String mediaType, String artifactType, long size, Map<String, String> annotations,
                       List<Node> referrers) {
        public Node {
            // Sorted, as inspect's: Map.copyOf iterates in an order that changes from run to run.
            annotations = annotations == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
            referrers = List.copyOf(referrers);
        }
    }

    /** A node while the walk adds its referrers; {@code path} is its subjects from the top down. */
    private static final class Branch {
        final Descriptor descriptor;
        final List<Digest> path;
        final List<Branch> children = new ArrayList<>();

        Branch(Descriptor descriptor, List<Digest> path) {
            this.descriptor = descriptor;
            this.path = path;
        }
    }

    /**
     * The tree under {@code reference} (a tag or digest).
     *
     * @param artifactType only referrers of this type, at every level (as {@code oras discover}); null for all
     * @throws RegctlException NOT_FOUND when the reference names nothing; FAILURE past the depth
     *                         or size bounds, or for a cycle
     */
    public Node walk(String reference, String artifactType) {
        RawManifest top = store.fetchManifest(reference);
        Descriptor entry = ReferrersIndex.entry(top);
        Branch root = new Branch(entry, List.of());
        List<Branch> level = List.of(root);
        Map<Digest, List<Descriptor>> listed = new HashMap<>();
        int nodes = 0;
        for (int depth = 1; !level.isEmpty(); depth++) {
            // Each subject is asked once, however often a DAG lists it.
            List<Digest> ask = level.stream().map(b -> b.descriptor.digest()).distinct()
                    .filter(d -> !listed.containsKey(d)).toList();
            List<List<Descriptor>> answers = Parallel.map(ask, THREADS, store::referrers);
            for (int i = 0; i < ask.size(); i++) {
                listed.put(ask.get(i), answers.get(i));
            }
            List<Branch> next = new ArrayList<>();
            for (Branch parent : level) {
                Digest subject = parent.descriptor.digest();
                List<Digest> path = new ArrayList<>(parent.path);
                path.add(subject);
                for (Descriptor d : listed.get(subject)) {
                    if (artifactType != null && !artifactType.equals(d.artifactType())) {
                        continue;
                    }
                    Digest digest = digestOf(d, subject);
                    if (path.contains(digest)) {
                        throw ManifestWalk.referrersCycle(path, digest, store.name());
                    }
                    if (depth > ManifestWalk.MAX_REFERRER_DEPTH) {
                        throw ManifestWalk.referrersTooDeep(digest, store.name());
                    }
                    if (++nodes > MAX_NODES) {
                        throw new RegctlException(RegctlException.Kind.FAILURE, store.name() + " lists more than "
                                + MAX_NODES + " referrers under " + reference,
                                "narrow it with --artifact-type, or list one referrer's own with its digest", null);
                    }
                    Branch child = new Branch(d, List.copyOf(path));
                    parent.children.add(child);
                    next.add(child);
                }
            }
            level = next;
        }
        return node(root);
    }

    private Digest digestOf(Descriptor referrer, Digest subject) {
        try {
            return Digest.parse(String.valueOf(referrer.digest()));
        } catch (RuntimeException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, store.name() + " lists a referrer of " + subject
                    + " without a valid digest: " + e.getMessage(), null, e);
        }
    }

    /** Recursion is bounded here: the walk stopped at {@link ManifestWalk#MAX_REFERRER_DEPTH}. */
    private static Node node(Branch b) {
        Descriptor d = b.descriptor;
        return new Node(d.digest().toString(), d.mediaType(), d.artifactType(), d.size(), d.annotations(),
                b.children.stream().map(ReferrersTree::node).toList());
    }
}
