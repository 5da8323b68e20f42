package dev.regctl.ops.prune;

import dev.regctl.RegctlException;
import dev.regctl.image.ImageCreated;
import dev.regctl.image.ManifestWalk;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Parallel;
import dev.regctl.store.ImageStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code prune}: applies a {@link PrunePolicy} to one repository. {@link #plan} only reads, so a
 * dry run shows exactly what {@link #execute} would then delete.
 */
public final class Pruner {
    private static final int THREADS = 8;

    private final ImageStore store;

    public Pruner(ImageStore store) {
        this.store = store;
    }

    /**
     * Reads every tag, in parallel: the selected ones fully (manifest, then configs for their
     * creation time), the others only as far as needed to know what they use (a HEAD, and the
     * index itself for an index). Returns the policy's decisions for the selected tags.
     */
    public List<PruneDecision> plan(PrunePolicy policy, Instant now) {
        List<String> tags = store.listTags();
        List<TaggedImage> images = Parallel.map(tags, THREADS, tag -> policy.selects(tag) ? examine(tag) : glance(tag))
                .stream().filter(Objects::nonNull).toList();
        return policy.decide(images, now);
    }

    /**
     * Deletes the manifest of every DELETE decision, each digest once, in order, and passes each
     * decision to {@code deleted} once its manifest is gone. Stops at the first failure, saying how
     * far it got.
     */
    public void execute(List<PruneDecision> decisions, Consumer<PruneDecision> deleted) {
        Map<Digest, List<PruneDecision>> byDigest = new LinkedHashMap<>();
        for (PruneDecision d : decisions) {
            if (d.deletes()) {
                byDigest.computeIfAbsent(d.digest(), k -> new ArrayList<>()).add(d);
            }
        }
        int done = 0;
        for (Map.Entry<Digest, List<PruneDecision>> e : byDigest.entrySet()) {
            try {
                store.deleteManifest(e.getKey());
            } catch (RegctlException failure) {
                // Gone already (another client, or a retried run): the tags are gone too, as planned.
                if (failure.kind() != RegctlException.Kind.NOT_FOUND) {
                    throw done == 0 ? failure : new RegctlException(failure.kind(), failure.getMessage()
                            + " (" + done + " of " + byDigest.size() + " manifests were deleted before this)",
                            failure.hint(), failure);
                }
            }
            done++;
            e.getValue().forEach(deleted);
        }
    }

    /** A selected tag: digest, children and creation time; null when the tag vanished meanwhile. */
    private TaggedImage examine(String tag) {
        RawManifest raw;
        try {
            raw = store.fetchManifest(tag);
        } catch (RegctlException e) {
            if (e.kind() == RegctlException.Kind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
        return new TaggedImage(tag, raw.digest(), ImageCreated.of(store, raw), descendants(raw));
    }

    /** A tag prune leaves alone: only what it uses matters; null when the tag vanished meanwhile. */
    private TaggedImage glance(String tag) {
        Optional<Descriptor> head = store.headManifest(tag);
        if (head.isEmpty()) {
            return null;
        }
        List<Digest> children = List.of();
        if (MediaTypes.isIndex(head.get().mediaType())) {
            children = descendants(store.fetchManifest(head.get().digest()));
        }
        return new TaggedImage(tag, head.get().digest(), null, children);
    }

    /**
     * Every manifest an index holds, through indexes it lists too: an image in a nested index is
     * as much in use as the outer index, and deleting it would break that index. Walked with a
     * queue, each digest once, and no deeper than {@link ManifestWalk#MAX_INDEX_DEPTH}.
     */
    private List<Digest> descendants(RawManifest raw) {
        record Nested(RawManifest index, int depth) {
        }
        Set<Digest> found = new LinkedHashSet<>();
        Deque<Nested> pending = new ArrayDeque<>();
        pending.add(new Nested(raw, 0));
        while (!pending.isEmpty()) {
            Nested next = pending.removeFirst();
            if (!next.index().isIndex()) {
                continue;
            }
            if (next.depth() >= ManifestWalk.MAX_INDEX_DEPTH) {
                throw ManifestWalk.indexTooDeep(next.index().digest(), store.name());
            }
            for (Descriptor child : next.index().index().manifests()) {
                if (found.add(child.digest()) && MediaTypes.isIndex(child.mediaType())) {
                    // A missing index uses nothing that could still be deleted from under it.
                    store.findManifest(child.digest()).ifPresent(nested -> pending.add(new Nested(nested, next.depth() + 1)));
                }
            }
        }
        return List.copyOf(found);
    }

}
