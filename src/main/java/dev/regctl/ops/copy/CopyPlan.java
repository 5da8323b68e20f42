package dev.regctl.ops.copy;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a copy will do, decided before anything moves: this is what {@code --dry-run}
 * prints and what makes a rerun skip the work already done. Each manifest and blob appears once,
 * however many tags and platforms share it.
 *
 * @param source        the source as named in messages
 * @param destination   the destination as named in messages
 * @param allTags       true for a copy of every tag of a repository
 * @param images        the top-level images copied: one, or one per tag with {@code --all-tags}
 * @param manifests     every manifest involved, in push order (children before what lists them)
 * @param blobs         every config and layer of the manifests to push
 * @param referrerLinks for each copied manifest with referrers, the referrers the target must list
 * @param warnings      what the copy passes over and the user should hear of (one line each), such
 *                      as a referrer the source lists but no longer has
 * @param notes         what the user may want to know of a copy that does all it should (one line
 *                      each), such as a layout getting Docker media types other tools pass over
 */
public record CopyPlan(String source, String destination, boolean allTags, List<Image> images, List<ManifestStep> manifests,
                       List<BlobStep> blobs, List<ReferrerLink> referrerLinks, List<String> warnings, List<String> notes) {

    public CopyPlan {
        images = List.copyOf(images);
        manifests = List.copyOf(manifests);
        blobs = List.copyOf(blobs);
        referrerLinks = List.copyOf(referrerLinks);
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
    }

    /** A plan with nothing to note. */
    public CopyPlan(String source, String destination, boolean allTags, List<Image> images, List<ManifestStep> manifests,
                    List<BlobStep> blobs, List<ReferrerLink> referrerLinks, List<String> warnings) {
        this(source, destination, allTags, images, manifests, blobs, referrerLinks, warnings, List.of());
    }

    /** A plan with nothing to warn about. */
    public CopyPlan(String source, String destination, boolean allTags, List<Image> images, List<ManifestStep> manifests,
                    List<BlobStep> blobs, List<ReferrerLink> referrerLinks) {
        this(source, destination, allTags, images, manifests, blobs, referrerLinks, List.of(), List.of());
    }

    /** This plan with one more note. */
    public CopyPlan noting(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new CopyPlan(source, destination, allTags, images, manifests, blobs, referrerLinks, warnings, more);
    }

    /** What happens to a blob. */
    public enum BlobAction {
        /** Streamed from the source to the target. */
        UPLOAD,
        /** Linked from another repository of the same registry; uploaded if the registry declines. */
        MOUNT,
        /** The target has it already. */
        SKIP,
        /**
         * Uploaded unless the target turns out to have it, which the upload request itself finds
         * out. Only plans made to be run have it, for small blobs: asking first would cost as
         * much as the upload. {@code --dry-run} plans ask.
         */
        UPLOAD_UNLESS_PRESENT
    }

    /**
     * One top-level image.
     *
     * @param source        the source tag or digest it came from
     * @param tag           the target tag, or null when pushed by digest only
     * @param digest        what the target tag will point to
     * @param sourceDigest  what the source reference pointed to
     * @param digestChanged true when {@code --platform} made a new index or {@code --format} converted
     *                      the manifest, so digest and sourceDigest differ
     */
    public record Image(String source, String tag, Digest digest, Digest sourceDigest, boolean digestChanged) {
    }

    /**
     * One manifest.
     *
     * @param level       push order: every manifest is pushed after all of a lower level
     * @param push        the target lacks it (or {@code --force})
     * @param tags        target tags to point at it (pushing it under the first stores it)
     * @param tagsPresent target tags that already point at it
     * @param subject     the manifest it was copied as a referrer of, or null
     */
    public record ManifestStep(RawManifest manifest, int level, boolean push, List<String> tags,
                               List<String> tagsPresent, Digest subject) {
        public ManifestStep {
            tags = List.copyOf(tags);
            tagsPresent = List.copyOf(tagsPresent);
        }

        /** True when the target has to be written to for this manifest. */
        public boolean hasWork() {
            return push || !tags.isEmpty();
        }
    }

    /** One blob and what happens to it; {@code mountFrom} is the repository to mount from, or null. */
    public record BlobStep(Descriptor blob, BlobAction action, String mountFrom) {
    }

    /** Referrers of {@code subject} that the target must list once they are copied. */
    public record ReferrerLink(Digest subject, List<Descriptor> referrers) {
        public ReferrerLink {
            referrers = List.copyOf(referrers);
        }
    }

    public int count(BlobAction action) {
        return (int) blobs.stream().filter(b -> b.action() == action).count();
    }

    public long bytes(BlobAction action) {
        return blobs.stream().filter(b -> b.action() == action).mapToLong(b -> b.blob().size()).sum();
    }

    /** Manifests the target lacks. */
    public int manifestsToPush() {
        return (int) manifests.stream().filter(ManifestStep::push).count();
    }

    /** Every target tag of the copy, whether it has to move or is already right, in plan order. */
    public List<String> tags() {
        Set<String> tags = new LinkedHashSet<>();
        for (Image image : images) {
            if (image.tag() != null) {
                tags.add(image.tag());
            }
        }
        for (ManifestStep step : manifests) {
            tags.addAll(step.tags());
            tags.addAll(step.tagsPresent());
        }
        return new ArrayList<>(tags);
    }
}
