package dev.regctl.oci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tags that by convention name a manifest's referrers where a registry has no referrers API:
 * the OCI referrers tag schema ({@code sha256-<hex>}, an index listing them) and cosign's
 * {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom}.
 */
public final class ReferrerTags {
    /** A tag is at most 128 characters; the schema truncates the hex part to fit. */
    private static final int MAX_HEX = 64;
    /** cosign's tag suffixes, each with the kind of referrer it names. */
    private static final Map<String, String> COSIGN_KINDS = orderedKinds();

    private static final Pattern FALLBACK = Pattern.compile("(sha256|sha512)-[a-f0-9]{64}");

    private ReferrerTags() {
    }

    /** The referrers tag schema's tag for {@code subject}: {@code <alg>-<hex>}, the hex cut to 64 characters. */
    public static String fallback(Digest subject) {
        String hex = subject.hex();
        return subject.algorithm() + "-" + (hex.length() > MAX_HEX ? hex.substring(0, MAX_HEX) : hex);
    }

    /** True for a tag of the referrers tag schema ({@code sha256-<64 hex>}), which names an index of referrers, not an image. */
    public static boolean isFallback(String tag) {
        return FALLBACK.matcher(tag).matches();
    }

    /**
     * True for a tag that names referrers rather than an image: the fallback index's, or one
     * after it with a suffix (cosign's {@code .sig}, {@code .att}, {@code .sbom}).
     */
    public static boolean isReferrerTag(String tag) {
        int dot = tag.indexOf('.');
        return isFallback(dot < 0 ? tag : tag.substring(0, dot));
    }

    /** cosign's signature, attestation and SBOM tags for {@code subject}. */
    public static List<String> cosign(Digest subject) {
        String base = fallback(subject);
        return COSIGN_KINDS.keySet().stream().map(suffix -> base + suffix).toList();
    }

    /** What a cosign tag names: {@code signature}, {@code attestation} or {@code sbom}; null for any other tag. */
    public static String cosignKind(String tag) {
        int dot = tag.indexOf('.');
        return dot < 0 || !isFallback(tag.substring(0, dot)) ? null : COSIGN_KINDS.get(tag.substring(dot));
    }

    private static Map<String, String> orderedKinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put(".sig", "signature");
        kinds.put(".att", "attestation");
        kinds.put(".sbom", "sbom");
        return Collections.unmodifiableMap(kinds);
    }
}
