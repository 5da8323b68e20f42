package dev.regctl.ops.copy;

import dev.regctl.image.ImageLookup;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Reference;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.store.ImageStore;

/**
 * One image of a copy as decided once from what the user named: what the source is read by,
 * the tag that must still point at it, the tag and digest it gets in the target, and what was
 * already seen of both tags. Copy, {@code copy --all-tags}, sync and index build it and the copy
 * only carries it out, so "was a tag given, else latest" is answered in one place
 * ({@link #of}, with {@link TargetTag}) however many steps follow.
 *
 * @param source          SRC as named, for messages; null for a tag of a repository copy
 * @param destination     DST as named, for messages; null for a tag of a repository copy
 * @param sourceReference the tag or digest the source is read by
 * @param checkTag        with both a tag and a digest given, the tag that must still name that digest; else null
 * @param targetTag       the tag written in the target, or null for by digest only
 * @param targetDigest    the digest DST names, which what is written must have; else null
 * @param byPlatform      whether {@code --platform} applies (not to a referrer tag: signatures and SBOMs are left whole)
 * @param seen            both tags as looked up before the copy (sync, {@code --all-tags}), else null
 */
public record ImageChoice(ImageRef source, ImageRef destination, String sourceReference, String checkTag,
                          String targetTag, Digest targetDigest, boolean byPlatform, TagState seen) {

    /**
     * The one image {@code request} names in {@code store}: a name without tag or digest is
     * {@code latest} in a registry and a layout's only image; given tag and digest, the digest is
     * copied while the tag still names it.
     */
    public static ImageChoice of(CopyRequest request, ImageStore store) {
        ImageRef src = request.source();
        String reference = ImageLookup.reference(src, store);
        ImageRef dst = request.destination();
        return new ImageChoice(src, dst, reference, src.digest() != null ? src.tag() : null,
                TargetTag.ofCopy(dst, reference), dst.digest(), true, null);
    }

    /** One tag of a repository copy: read and written under the same name. */
    static ImageChoice ofTag(String tag, TagState seen) {
        return new ImageChoice(null, null, tag, null, tag, null, !ReferrerTags.isReferrerTag(tag), seen);
    }

    /** This choice with both tags as just looked up, which the copy then does not ask again. */
    public ImageChoice seeing(TagState state) {
        return new ImageChoice(source, destination, sourceReference, checkTag, targetTag, targetDigest, byPlatform, state);
    }

    /** SRC as the user gave it when it names an image, else with the tag or digest the copy read. */
    String sourceName() {
        return named(source, sourceReference);
    }

    /** DST as the user gave it when it names an image, else with the tag written or, without one, {@code written}. */
    String destinationName(Digest written) {
        return named(destination, targetTag != null ? targetTag : written.toString());
    }

    private static String named(ImageRef ref, String reference) {
        return ref.namesImage() ? ref.toString() : Reference.join(ref.repositoryName(), reference);
    }
}
