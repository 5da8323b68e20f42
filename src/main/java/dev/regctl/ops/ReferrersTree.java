package dev.regctl.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.regctl.RegctlException;
import dev.regctl.image.ManifestWalk;
import dev.regctl.image.ReferrerLookup;
import dev.regctl.image.ReferrersIndex;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.store.ImageStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code referrers}: what refers to an image (signatures, SBOMs, attestations) and, in turn, what
 * refers to those, as a tree, found where {@code copy --referrers} finds them
 * ({@link ReferrerLookup}): the store's referrers API, its tag schema indexes or a layout's
 * {@code index.json}, and cosign's tags. Walks keep {@link ManifestWalk}'s depth and cycle bounds.
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
     * @param kind         for a referrer found by a cosign tag, what the tag says it is: {@code signature},
     *                     {@code attestation} or {@code sbom}; else null
     * @param tag          that cosign tag, else null
     * @param referrers    what refers to this manifest
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"digest", "mediaType", "artifactType", "size", "annotations", "kind", "tag", "referrers"})
    public record Node(String digest, String mediaType, String artifactType, long size, Map<String, String> annotations,
                       String kind, String tag, List<Node> referrers) {
        public Node {
            // Sorted, as inspect's: Map.copyOf iterates in an order that changes from run to run.
            annotations = annotations == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
            referrers = List.copyOf(referrers);
        }
    }

    /**
     * A node while the walk adds its referrers; {@code path} is its subjects from the top down,
     * {@code tag} the cosign tag it was found by (null when listed).
     */
    private static final class Branch {
        final Descriptor descriptor;
        final String tag;
        final List<Digest> path;
        final List<Branch> children = new ArrayList<>();

        Branch(Descriptor descriptor, String tag, List<Digest> path) {
            this.descriptor = descriptor;
            this.tag = tag;
            this.path = path;
        }
    }

    /** One referrer of a subject: as listed, or found by a cosign tag. */
    private record Found(Descriptor descriptor, String tag) {
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
        Branch root = new Branch(entry, null, List.of());
        List<Branch> level = List.of(root);
        Map<Digest, List<Found>> listed = new HashMap<>();
        int nodes = 0;
        for (int depth = 1; !level.isEmpty(); depth++) {
            // Each subject is asked once, however often a DAG lists it.
            List<Digest> ask = level.stream().map(b -> b.descriptor.digest()).distinct()
                    .filter(d -> !listed.containsKey(d)).toList();
            List<ReferrerLookup.Found> answers = Parallel.map(ask, THREADS, d -> ReferrerLookup.find(store, d));
            for (int i = 0; i < ask.size(); i++) {
                listed.put(ask.get(i), referrers(answers.get(i)));
            }
            List<Branch> next = new ArrayList<>();
            for (Branch parent : level) {
                Digest subject = parent.descriptor.digest();
                List<Digest> path = new ArrayList<>(parent.path);
                path.add(subject);
                for (Found found : listed.get(subject)) {
                    Descriptor d = found.descriptor();
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
                    Branch child = new Branch(d, found.tag(), List.copyOf(path));
                    parent.children.add(child);
                    next.add(child);
                }
            }
            level = next;
        }
        return node(root);
    }

    /**
     * The referrers of one subject: those listed, then those only cosign's tags name. A tagged
     * manifest that is also listed is one referrer, with its tag; one that is the subject itself
     * refers to nothing.
     */
    private static List<Found> referrers(ReferrerLookup.Found lookup) {
        Map<Digest, String> tagOf = new HashMap<>();
        lookup.tagged().forEach((tag, m) -> tagOf.putIfAbsent(m.digest(), tag));
        List<Found> all = new ArrayList<>();
        for (Descriptor d : lookup.referrers()) {
            all.add(new Found(d, tagOf.remove(d.digest())));
        }
        lookup.tagged().forEach((tag, m) -> {
            if (tag.equals(tagOf.get(m.digest())) && !m.digest().equals(lookup.subject())) {
                all.add(new Found(tagged(m), tag));
            }
        });
        return all;
    }

    /** The entry of a manifest found by a tag: typed as inspect types it (an image config is no artifact type). */
    private static Descriptor tagged(RawManifest m) {
        String type = m.isIndex() ? m.index().artifactType() : Inspector.artifactType(m.manifest());
        Map<String, String> annotations = m.isIndex() ? m.index().annotations() : m.manifest().annotations();
        return new Descriptor(m.mediaType(), m.digest(), m.size(), null, type, annotations, null);
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
                b.tag == null ? null : ReferrerTags.cosignKind(b.tag), b.tag,
                b.children.stream().map(ReferrersTree::node).toList());
    }
}
