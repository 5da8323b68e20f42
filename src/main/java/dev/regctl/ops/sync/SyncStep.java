package dev.regctl.ops.sync;

import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.copy.ImageChoice;

/**
 * One image of a sync plan: what happens to one target tag, decided before anything is written.
 *
 * @param entry        the file entry it comes from
 * @param source       the source image (repository and tag or digest); null for a prune
 * @param target       the target image (repository and tag)
 * @param action       copy, skip (current already) or prune (gone at the source), or fail when
 *                     even looking it up failed
 * @param sourceDigest what the source tag points to, or null when unknown
 * @param targetDigest what the target tag points to now, or null when it has no such tag
 * @param failure      why looking it up failed, or null
 * @param image        for a copy or a skip, the image as chosen and both its tags as seen, which
 *                     the copy carries out without deciding or asking again; else null
 */
public record SyncStep(SyncEntry entry, ImageRef source, ImageRef target, Action action, Digest sourceDigest,
                       Digest targetDigest, SyncFailure failure, ImageChoice image) {

    /** What a plan does with an image. */
    public enum Action {
        COPY, SKIP, PRUNE, FAIL;

        /** As the plan and {@code --dry-run} show it. */
        public String planned() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
