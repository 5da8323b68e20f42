package dev.regctl.ops.compose;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.Tag;
import dev.regctl.ops.Inspector;
import dev.regctl.store.ImageStore;
import java.util.List;

/**
 * Points more tags at a manifest in its own repository: the manifest's bytes are fetched once and
 * put under each tag, so the registry checks its blobs itself and not one blob is requested.
 */
public final class Tagger {

    /** What was tagged (or, in a dry run, would be). */
    public record Result(String repository, String digest, List<String> tags, boolean dryRun) {
    }

    private final ImageStore store;

    public Tagger(ImageStore store) {
        this.store = store;
    }

    /** Checks every tag before anything is fetched, so a typo in the last one writes none. */
    public Result tag(ImageRef ref, List<String> newTags, boolean dryRun) {
        for (String tag : newTags) {
            requireTag(ref, tag);
        }
        RawManifest manifest = new Inspector(store).manifest(ref, null);
        if (!dryRun) {
            for (String tag : newTags) {
                store.putManifest(manifest, tag);
            }
        }
        return new Result(store.name(), manifest.digest().toString(), List.copyOf(newTags), dryRun);
    }

    private void requireTag(ImageRef ref, String tag) {
        if (tag.contains("/") || tag.contains("@")) {
            throw new RegctlException(RegctlException.Kind.USAGE, "tag " + Tag.quote(tag)
                    + ": a tag, not a reference: tag points tags in " + store.name() + " only",
                    "to put the image in another repository: regctl copy " + ref + " REPO:TAG", null);
        }
        if (tag.isEmpty() || !store.canHoldTag(tag)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "tag " + Tag.quote(tag)
                    + ": not a valid tag", "a registry tag is up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -", null);
        }
    }
}
