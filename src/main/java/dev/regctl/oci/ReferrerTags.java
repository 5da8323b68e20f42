package dev.regctl.oci;

import java.util.List;

/**
 * The tags that by convention name a manifest's referrers where a registry has no referrers API:
 * the OCI referrers tag schema ({@code sha256-<hex>}, an index listing them) and cosign's
 * {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom}.
 */
public final class ReferrerTags {
    /** A tag is at most 128 characters; the schema truncates the hex part to fit. */
    private static final int MAX_HEX = 64;
    private static final List<String> COSIGN_SUFFIXES = List.of(".sig", ".att", ".sbom");

    private ReferrerTags() {
    }

    /** The referrers tag schema's tag for {@code subject}: {@code <alg>-<hex>}, the hex cut to 64 characters. */
    public static String fallback(Digest subject) {
        String hex = subject.hex();
        return subject.algorithm() + "-" + (hex.length() > MAX_HEX ? hex.substring(0, MAX_HEX) : hex);
    }

    /** cosign's signature, attestation and SBOM tags for {@code subject}. */
    public static List<String> cosign(Digest subject) {
        String base = fallback(subject);
        return COSIGN_SUFFIXES.stream().map(suffix -> base + suffix).toList();
    }
}
