package dev.regctl.oci;

import java.util.ArrayList;
import java.util.List;

/**
 * How well an image's platform serves a wanted one, by containerd's rules (what docker and
 * skopeo pick): both are {@linkplain Platform#normalized() normalised}, the os and architecture
 * must be the same, and the variant is the wanted one or, failing that, the next best one that
 * still runs there (arm/v7 takes v6, then v5; amd64/v3 takes v2, then v1; arm64/v9.x takes
 * v9.{x-1}..v9, then v8.{x+5}..v8). Unlike containerd, no other architecture is offered
 * (386 for amd64, 32-bit arm for arm64): a copy for arm64 that holds arm would surprise.
 * A wanted os.version is a prefix of the image's, part by part, as a Windows host picks by build:
 * {@code 10.0.20348} matches {@code 10.0.20348.2340}.
 */
public final class PlatformMatcher {
    /** {@link #rank} of a platform that does not serve the wanted one. */
    public static final int NO_MATCH = -1;

    private PlatformMatcher() {
    }

    /**
     * 0 when {@code image} is the {@code wanted} platform, 1, 2, ... for ever older variants that
     * still run there, {@link #NO_MATCH} when it does not serve it at all (or names no platform).
     */
    public static int rank(Platform wanted, Platform image) {
        if (image == null || !image.isSpecified()) {
            return NO_MATCH;
        }
        Platform w = wanted.normalized();
        Platform i = image.normalized();
        if (!w.os().equals(i.os()) || !w.architecture().equals(i.architecture())
                || !osVersionMatches(w.osVersion(), i.osVersion())) {
            return NO_MATCH;
        }
        return variants(w.architecture(), w.variant()).indexOf(i.variant());
    }

    private static boolean osVersionMatches(String wanted, String image) {
        if (wanted == null) {
            return true;
        }
        if (image == null) {
            return false;
        }
        String[] w = wanted.split("\\.", -1);
        String[] i = image.split("\\.", -1);
        if (w.length > i.length) {
            return false;
        }
        for (int k = 0; k < w.length; k++) {
            if (!w[k].equals(i[k])) {
                return false;
            }
        }
        return true;
    }

    /** The variants that run where {@code variant} does, best first; {@code variant} alone when it has no older ones. */
    static List<String> variants(String architecture, String variant) {
        List<String> ladder = new ArrayList<>();
        ladder.add(variant);
        Integer n = number(variant);
        switch (architecture) {
            case "amd64" -> {
                for (int k = n == null ? 0 : n - 1; k >= 1; k--) {
                    ladder.add("v" + k);
                }
            }
            case "arm" -> {
                for (int k = n == null ? 0 : n - 1; k >= 5; k--) {
                    ladder.add("v" + k);
                }
            }
            case "arm64" -> arm64(ladder, variant);
            default -> {
                // no known older variants
            }
        }
        return ladder;
    }

    /** arm64 variants are v8, v8.1 ... v8.9 and v9, v9.1 ...; v9.x carries v8.{x+5} (v9.0 forked from v8.5). */
    private static void arm64(List<String> ladder, String variant) {
        if (variant == null || !variant.matches("v[89](\\.[0-9])?")) {
            return;
        }
        int major = variant.charAt(1) - '0';
        int minor = variant.length() == 4 ? variant.charAt(3) - '0' : 0;
        for (int k = minor - 1; k >= 0; k--) {
            ladder.add(arm64Variant(major, k));
        }
        if (major == 9) {
            for (int k = Math.min(minor + 5, 9); k >= 0; k--) {
                ladder.add(arm64Variant(8, k));
            }
        }
    }

    private static String arm64Variant(int major, int minor) {
        return minor == 0 ? "v" + major : "v" + major + "." + minor;
    }

    private static Integer number(String variant) {
        return variant != null && variant.matches("v[0-9]{1,2}") ? Integer.valueOf(variant.substring(1)) : null;
    }
}
