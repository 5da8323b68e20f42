package dev.regctl.registries;

import dev.regctl.oci.Reference;
import java.util.Locale;

/** Which pulls a mirror serves ({@code pull-from-mirror}): tags and digests may differ on a mirror lagging behind. */
public enum PullFromMirror {
    ALL, DIGEST_ONLY, TAG_ONLY;

    /** The value as written in the file: {@code all}, {@code digest-only}, {@code tag-only}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Null when {@code text} is none of the three values. */
    static PullFromMirror parse(String text) {
        for (PullFromMirror p : values()) {
            if (p.text().equals(text)) {
                return p;
            }
        }
        return null;
    }

    /** Whether a pull of {@code ref} may use a mirror with this setting: by digest, or by tag. */
    boolean serves(Reference ref) {
        boolean byDigest = ref.digest() != null;
        return switch (this) {
            case ALL -> true;
            case DIGEST_ONLY -> byDigest;
            case TAG_ONLY -> !byDigest;
        };
    }
}
