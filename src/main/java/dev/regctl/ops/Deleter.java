package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.image.ReferrersIndex;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.Reference;
import dev.regctl.store.ImageStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code delete}: removes a manifest, and so every tag pointing at it, or just one tag. Planning
 * only reads, which is what {@code --dry-run} shows; executing does what the plan says. Deleting
 * a referrer also takes it out of its subject's referrers tag schema index where the store keeps
 * one, as the distribution spec asks of the deleting client.
 */
public final class Deleter {
    private static final int THREADS = 8;

    private final ImageStore store;

    public Deleter(ImageStore store) {
        this.store = store;
    }

    /**
     * Plans deleting the manifest {@code reference} (a tag or a digest) names. Deleting a manifest
     * takes every tag on it along, and the registry does not say which those are, so each tag of
     * the repository is resolved (HEAD, in parallel) to find them. The manifest is read for its
     * {@code subject}, whose referrers list it leaves.
     *
     * @throws RegctlException NOT_FOUND when the reference names nothing
     */
    public DeletePlan planManifest(String reference) {
        Digest digest = resolve(reference).digest();
        List<String> tags = Parallel.map(store.listTags(), THREADS, tag -> {
            Optional<Descriptor> d = store.headManifest(tag);
            return d.isPresent() && d.get().digest().equals(digest) ? tag : null;
        }).stream().filter(Objects::nonNull).sorted().toList();
        Digest subject = store.findManifest(digest).map(ReferrersIndex::subjectOf).orElse(null);
        return new DeletePlan(store.name(), digest, tags, true, subject);
    }

    /**
     * As {@link #planManifest(String)}, but a manifest named by a tag that is not its only tag is
     * refused unless {@code force}: the user named one tag, and the registry would take the others
     * along. A digest names the manifest itself, tags and all, and is never refused.
     *
     * @throws RegctlException USAGE naming the other tags and how to proceed; NOT_FOUND as above
     */
    public DeletePlan planManifest(String reference, boolean force) {
        DeletePlan plan = planManifest(reference);
        List<String> others = plan.tags().stream().filter(t -> !t.equals(reference)).toList();
        if (force || Digest.isDigest(reference) || others.isEmpty()) {
            return plan;
        }
        throw new RegctlException(RegctlException.Kind.USAGE, "delete " + Reference.join(store.name(), reference)
                + ": its manifest " + plan.digest() + " is also tagged " + String.join(", ", others)
                + ", which would be deleted with it; nothing was deleted",
                "--tag-only removes only " + reference + "; --force deletes the manifest with all "
                        + plan.tags().size() + " tags", null);
    }

    /**
     * Plans removing only {@code tag}; its manifest and other tags stay.
     *
     * @throws RegctlException NOT_FOUND when there is no such tag
     */
    public DeletePlan planTag(String tag) {
        return new DeletePlan(store.name(), resolve(tag).digest(), List.of(tag), false);
    }

    /** Carries the plan out. */
    public void execute(DeletePlan plan) {
        if (plan.manifest()) {
            store.deleteManifest(plan.digest());
            if (plan.subject() != null) {
                unlist(plan.subject(), plan.digest());
            }
        } else {
            store.deleteTag(plan.tags().get(0));
        }
    }

    /** The manifest is gone by now, so a failure here is said to leave only a stale list entry. */
    private void unlist(Digest subject, Digest deleted) {
        try {
            ReferrersIndex.unlist(store, subject, deleted);
        } catch (RegctlException e) {
            throw new RegctlException(e.kind(), "deleted " + store.name() + "@" + deleted + ", but could not take it out of"
                    + " the referrers list of " + subject + ": " + e.getMessage(),
                    e.hint() != null ? e.hint() : "readers of the list will be told of a referrer that no longer exists", e);
        }
    }

    private Descriptor resolve(String reference) {
        boolean digest = Digest.isDigest(reference);
        return store.headManifest(reference).orElseThrow(() -> new RegctlException(RegctlException.Kind.NOT_FOUND,
                "delete " + Reference.join(store.name(), reference) + ": no such " + (digest ? "manifest" : "tag")));
    }
}
