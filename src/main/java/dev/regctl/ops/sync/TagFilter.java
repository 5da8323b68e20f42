package dev.regctl.ops.sync;

import dev.regctl.oci.ReferrerTags;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which tags of a repository an entry mirrors (and may prune): those matching an {@code allow}
 * regex as a whole, none of the {@code deny} ones, and, when given, inside the semver range.
 * Referrer tags ({@code sha256-<hex>} and cosign's {@code .sig/.att/.sbom}) are never taken as
 * images: {@code referrers: true} copies them with what they refer to, and prune leaves them.
 */
public record TagFilter(List<Pattern> allow, List<Pattern> deny, SemverRange semver) {

    public TagFilter {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /** Every tag but referrer tags. */
    public static TagFilter all() {
        return new TagFilter(List.of(Pattern.compile(".*")), List.of(), null);
    }

    public boolean matches(String tag) {
        return !ReferrerTags.isReferrerTag(tag)
                && allow.stream().anyMatch(p -> p.matcher(tag).matches())
                && deny.stream().noneMatch(p -> p.matcher(tag).matches())
                && (semver == null || semver.contains(tag));
    }
}
