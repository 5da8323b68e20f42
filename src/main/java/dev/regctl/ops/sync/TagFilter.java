package dev.regctl.ops.sync;

import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.NamePattern;
import java.util.List;

/**
 * Which tags of a repository an entry mirrors (and may prune): those matching an {@code allow}
 * regex as a whole, none of the {@code deny} ones, and, when given, inside the semver range.
 * Referrer tags ({@code sha256-<hex>} and cosign's {@code .sig/.att/.sbom}) are never taken as
 * images: {@code referrers: true} copies them with what they refer to, and prune leaves them.
 */
record TagFilter(List<NamePattern> allow, List<NamePattern> deny, SemverRange semver) {
    private static final NamePattern EVERY = NamePattern.compile(".*", "every tag");

    public TagFilter {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /** Every tag but referrer tags. */
    public static TagFilter all() {
        return new TagFilter(List.of(EVERY), List.of(), null);
    }

    public boolean matches(String tag) {
        return !ReferrerTags.isReferrerTag(tag)
                && allow.stream().anyMatch(p -> p.matches(tag))
                && deny.stream().noneMatch(p -> p.matches(tag))
                && (semver == null || semver.contains(tag));
    }
}
