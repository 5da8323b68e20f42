package dev.regctl.ops.copy;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Parallel;
import dev.regctl.store.ImageStore;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What one image's tag holds on both sides of a copy, looked up side by side before anything
 * is pulled: the source's by a HEAD (Docker Hub does not count HEADs as pulls), the target's
 * only when its tag list has the tag. Sync and {@code copy --all-tags} skip an image on this one
 * comparison ({@link #unchanged}), and the copy that follows is handed it, so it does not ask the
 * target about that tag again.
 *
 * @param atSource    what the source tag points to, or null when the source has no such tag
 * @param atTarget    what the target tag points to, or null when it has none or was not asked
 * @param targetKnown whether {@code atTarget} is known: asked, or absent from the target's tag list
 * @param held        the target's manifest under the tag when it was read whole, else null
 */
public record TagState(Descriptor atSource, Digest atTarget, boolean targetKnown, RawManifest held) {

    /**
     * Looks both tags up at once: at a distance an unchanged image then costs one round trip,
     * not two.
     *
     * @param targetTags the target's tags, or null when it keeps no list: then the target is asked
     * @param readHeld   read the target's manifest whole (a GET) rather than its digest (a HEAD),
     *                   for a caller that needs it: one request instead of a HEAD and then a GET
     */
    public static TagState look(ImageStore source, String sourceReference, ImageStore target, String targetTag,
                                Set<String> targetTags, boolean readHeld) {
        boolean listed = targetTags == null || targetTags.contains(targetTag);
        Supplier<Optional<RawManifest>> heldLater = listed && readHeld
                ? Parallel.started(() -> target.findManifest(targetTag)) : Optional::empty;
        Supplier<Optional<Descriptor>> headLater = listed && !readHeld
                ? Parallel.started(() -> target.headManifest(targetTag)) : Optional::empty;
        Optional<Descriptor> atSource = source.headManifest(sourceReference);
        if (atSource.isEmpty()) {
            // The caller fails or fetches anyway; the target's answer is not waited for.
            return new TagState(null, null, false, null);
        }
        if (readHeld) {
            RawManifest held = heldLater.get().orElse(null);
            return new TagState(atSource.get(), held == null ? null : held.digest(), true, held);
        }
        return new TagState(atSource.get(), headLater.get().map(Descriptor::digest).orElse(null), true, null);
    }

    /** True when the target tag already points to what the source tag does. */
    public boolean unchanged() {
        return atSource != null && atSource.digest().equals(atTarget);
    }
}
