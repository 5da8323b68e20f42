package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;

/**
 * What to copy where, as the user named it: SRC and DST, and whether every tag of SRC's
 * repository is meant.
 */
public record CopyRequest(ImageRef source, ImageRef destination, boolean allTags) {

    /**
     * Parses SRC and DST. With {@code allTags} both must name a repository (or layout) without a
     * tag or digest.
     */
    public static CopyRequest parse(String source, String destination, boolean allTags) {
        ImageRef src = ImageRef.parse(source);
        ImageRef dst = ImageRef.parse(destination);
        if (allTags && src.namesImage()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--all-tags copies every tag of a repository: give SRC "
                    + "without a tag or digest, not \"" + source + "\"");
        }
        if (allTags && dst.namesImage()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--all-tags keeps each tag's name: give DST without a"
                    + " tag or digest, not \"" + destination + "\"");
        }
        return new CopyRequest(src, dst, allTags);
    }
}
