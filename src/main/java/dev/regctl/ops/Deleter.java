package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.store.ImageStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code delete}: removes a manifest, and so every tag pointing at it, or just one tag. Planning
 * only reads, which is what {@code --dry-run} shows; executing does what the plan says.
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
     * the repository is resolved (HEAD, in parallel) to find them.
     *
     * @throws RegctlException NOT_FOUND when the reference names nothing
     */
    public DeletePlan planManifest(String reference) {
        String digest = resolve(reference).digest();
        List<String> tags = Parallel.map(store.listTags(), THREADS, tag -> {
            Optional<Descriptor> d = store.headManifest(tag);
            return d.isPresent() && d.get().digest().equals(digest) ? tag : null;
        }).stream().filter(Objects::nonNull).sorted().toList();
        return new DeletePlan(store.name(), digest, tags, true);
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
            store.deleteManifest(Digest.parse(plan.digest()));
        } else {
            store.deleteTag(plan.tags().get(0));
        }
    }

    private Descriptor resolve(String reference) {
        boolean digest = Digest.isDigest(reference);
        return store.headManifest(reference).orElseThrow(() -> new RegctlException(RegctlException.Kind.NOT_FOUND,
                "delete " + store.name() + (digest ? "@" : ":") + reference + ": no such " + (digest ? "manifest" : "tag")));
    }
}
