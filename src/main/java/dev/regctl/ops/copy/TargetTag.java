package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;

/**
 * The rules for the tag a command writes in its target when the user gave none, side by side
 * because they differ on purpose and each command must keep its own:
 * <ul>
 * <li>{@link #ofCopy}: a copy keeps what it copies named. A registry's tag is {@code latest}, as
 * docker, skopeo and crane have it; a layout or archive, which holds many images, takes the
 * source's tag; a digest alone writes no tag.</li>
 * <li>{@link #ofNewImage}: append makes an image nothing names yet, so there is no source tag
 * to keep: {@code latest} wherever it goes, and a digest cannot name it.</li>
 * </ul>
 * Each is decided once per run, into {@link ImageChoice} for a copy and by the command itself
 * for a new image; nothing downstream asks the reference again.
 */
public final class TargetTag {

    private TargetTag() {
    }

    /** The tag a copy writes under in {@code destination}, given what the source was read by; null for by digest only. */
    public static String ofCopy(ImageRef destination, String sourceReference) {
        return destination.tagForCopyOf(sourceReference);
    }

    /**
     * The tag a new image is written under in {@code target}: the one given, else {@code latest}.
     *
     * @throws RegctlException when {@code target} names a digest, which a new image cannot match
     */
    public static String ofNewImage(ImageRef target, String command) {
        if (target.digest() != null) {
            throw new RegctlException(RegctlException.Kind.USAGE, "TARGET " + target + " names a digest, but " + command
                    + " makes a new image", "give TARGET a tag, or none for latest", null);
        }
        return target.tag() != null ? target.tag() : "latest";
    }
}
