package dev.regctl.ops.prune;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.Durations;
import dev.regctl.ops.NamePattern;
import dev.regctl.ops.prune.PruneDecision.Action;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The retention rule of {@code prune}, as a pure function from tags to decisions so that it can be
 * reasoned about and tested apart from any registry.
 *
 * <p>Of the tags the filter matches in full (all tags without a filter), those with a known
 * creation time are ordered newest first; the first {@code keep} stay, and of the rest only those
 * created strictly before the cutoff, {@code now - olderThan} rounded down to the minute (any age
 * without {@code olderThan}), are due for deletion.
 * Deleting means deleting a manifest, so a tag due for deletion is skipped when its manifest is
 * also used by any tag that stays, selected or not, directly or as a child of an index.
 * Skipping is chosen over removing only the tag because retention exists to free images; an
 * image still in use frees nothing, and a skipped tag needs no write at all.
 *
 * <p>A tag whose creation time is unknown always stays and does not count towards {@code keep}:
 * artifacts such as signatures have no creation time, and guessing an age would delete them.
 *
 * <p>Referrer tags ({@code sha256-<hex>} and cosign's {@code .sig}, {@code .att}, {@code .sbom};
 * see {@link ReferrerTags}) name an image's signatures and SBOMs, not an image, and are never
 * selected, so a kept image keeps them. Those of an image whose manifest is deleted belong to
 * nothing any more and go with it, listed just before it: their own manifest is deleted (the
 * {@code sha256-<hex>} index, or cosign's signature, attestation or SBOM) unless a tag that stays
 * uses it, in which case they are skipped. The referrers a {@code sha256-<hex>} index lists are
 * not deleted: like the images of a deleted index they are left untagged for the registry's
 * garbage collector, since whether anything else still needs them cannot be told from tags.
 *
 * @param filter    tags to consider, matched in full; null for every tag
 * @param keep      how many of the newest considered tags always stay, at least 0
 * @param olderThan when not null, only tags older than this are deleted
 */
public record PrunePolicy(NamePattern filter, int keep, Duration olderThan) {

    /** The shortest {@code olderThan} taken without being forced: {@code 1m} is a minute, not the month it may mean. */
    public static final Duration SHORTEST_UNFORCED = Duration.ofHours(1);

    private static final DateTimeFormatter CUTOFF = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final Comparator<TaggedImage> NEWEST_FIRST = Comparator
            .comparing(TaggedImage::created, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(TaggedImage::tag);

    public PrunePolicy {
        if (keep < 0) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid --keep " + keep + ": must be 0 or more");
        }
        if (olderThan != null && olderThan.isNegative()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid --older-than: must not be negative");
        }
    }

    /**
     * Refuses an {@code olderThan} under {@link #SHORTEST_UNFORCED} unless {@code force}: such a
     * cutoff deletes images only minutes old, and {@code 1m} is more often a month meant than a minute.
     *
     * @throws RegctlException USAGE saying what the duration means and how to insist
     */
    public static void requireDeliberate(Duration olderThan, boolean force) {
        if (olderThan != null && !force && olderThan.compareTo(SHORTEST_UNFORCED) < 0) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--older-than " + Durations.format(olderThan)
                    + " is under one hour, so images only that old would be deleted (m is minutes; a month is 30d)",
                    "add --force to prune with a cutoff under one hour", null);
        }
    }

    /** True when prune considers {@code tag} at all: never a referrer tag, else what the filter matches. */
    public boolean selects(String tag) {
        return !ReferrerTags.isReferrerTag(tag) && (filter == null || filter.matches(tag));
    }

    /**
     * What the policy deletes, for people: {@code tags beyond the newest 5 and older than 30d
     * (created before 2024-06-01 12:00 UTC)}.
     */
    public String describe(Instant now) {
        return "tags " + due(cutoff(now));
    }

    /**
     * Decides the fate of every selected tag in {@code tags}, which must hold every tag of the
     * repository (the unselected ones protect what they use, and referrer tags go with their image).
     * Decisions come newest first, tags of unknown age last, ties in tag order; the referrer tags
     * of an image that is deleted come just before its first tag.
     */
    public List<PruneDecision> decide(List<TaggedImage> tags, Instant now) {
        List<TaggedImage> selected = new ArrayList<>();
        for (TaggedImage t : tags) {
            if (selects(t.tag())) {
                selected.add(t);
            }
        }
        selected.sort(NEWEST_FIRST);
        Instant cutoff = cutoff(now);

        Map<String, Action> fate = new HashMap<>();
        Map<String, String> why = new HashMap<>();
        int known = 0;
        for (TaggedImage t : selected) {
            if (t.created() == null) {
                fate.put(t.tag(), Action.KEEP);
                why.put(t.tag(), "creation time unknown");
            } else if (known++ < keep) {
                fate.put(t.tag(), Action.KEEP);
                why.put(t.tag(), "among the newest " + keep);
            } else if (cutoff != null && !t.created().isBefore(cutoff)) {
                fate.put(t.tag(), Action.KEEP);
                why.put(t.tag(), age(cutoff, "not older than", "at or after").substring(1));
            } else {
                fate.put(t.tag(), Action.DELETE);
                why.put(t.tag(), due(cutoff));
            }
        }

        // Referrer tags are not selected, so they stay here: what they hold is not deleted from under them.
        Map<Digest, String> inUse = usedBy(tags, t -> fate.getOrDefault(t.tag(), Action.KEEP) == Action.KEEP);
        List<PruneDecision> decisions = new ArrayList<>(selected.size());
        for (TaggedImage t : selected) {
            Action action = fate.get(t.tag());
            String reason = why.get(t.tag());
            if (action == Action.DELETE && inUse.containsKey(t.digest())) {
                action = Action.SKIP;
                reason = inUse.get(t.digest());
            }
            decisions.add(new PruneDecision(t.tag(), t.digest(), t.created() == null ? null : t.created().toString(),
                    action, reason));
        }
        return withReferrerTags(tags, decisions);
    }

    /**
     * {@code decisions} with, before the first tag of each image deleted, that image's referrer
     * tags: deleted, or skipped when a tag that stays uses their manifest.
     */
    private static List<PruneDecision> withReferrerTags(List<TaggedImage> tags, List<PruneDecision> decisions) {
        Map<String, TaggedImage> byTag = new HashMap<>();
        tags.forEach(t -> byTag.put(t.tag(), t));
        Map<Digest, List<TaggedImage>> referrerTags = new LinkedHashMap<>();
        Set<String> going = new HashSet<>();
        for (PruneDecision d : decisions) {
            if (d.deletes()) {
                going.add(d.tag());
                referrerTags.computeIfAbsent(d.digest(), digest -> {
                    List<TaggedImage> found = new ArrayList<>();
                    for (String tag : namesOfReferrerTags(digest)) {
                        TaggedImage t = byTag.get(tag);
                        if (t != null && going.add(tag)) {
                            found.add(t);
                        }
                    }
                    return found;
                });
            }
        }
        if (referrerTags.values().stream().allMatch(List::isEmpty)) {
            return decisions;
        }
        Map<Digest, String> inUse = usedBy(tags, t -> !going.contains(t.tag()));
        List<PruneDecision> out = new ArrayList<>();
        for (PruneDecision d : decisions) {
            List<TaggedImage> referrers = d.deletes() ? referrerTags.remove(d.digest()) : null;
            if (referrers != null) {
                for (TaggedImage r : referrers) {
                    String used = inUse.get(r.digest());
                    out.add(new PruneDecision(r.tag(), r.digest(), null, used == null ? Action.DELETE : Action.SKIP,
                            used == null ? "referrers of " + d.tag() + "'s image, which is deleted" : used));
                }
            }
            out.add(d);
        }
        return out;
    }

    /** The referrers tag schema's tag and cosign's tags for the image {@code digest}. */
    private static List<String> namesOfReferrerTags(Digest subject) {
        List<String> names = new ArrayList<>();
        names.add(ReferrerTags.fallback(subject));
        names.addAll(ReferrerTags.cosign(subject));
        return names;
    }

    /** What the {@code staying} tags use, each digest with a reason naming a tag. */
    private static Map<Digest, String> usedBy(List<TaggedImage> tags, Predicate<TaggedImage> staying) {
        Map<Digest, String> inUse = new HashMap<>();
        for (TaggedImage t : tags) {
            if (staying.test(t)) {
                inUse.putIfAbsent(t.digest(), "its manifest is also tagged " + t.tag() + ", which stays");
                for (Digest child : t.children()) {
                    inUse.putIfAbsent(child, "its manifest is part of index " + t.tag() + ", which stays");
                }
            }
        }
        return inUse;
    }

    /** Why a tag is due: {@code beyond the newest 5 and older than 30d (created before 2024-06-01 12:00 UTC)}. */
    private String due(Instant cutoff) {
        return "beyond the newest " + keep + (cutoff == null ? "" : " and" + age(cutoff, "older than", "before"));
    }

    /** {@code " older than 30d (created before 2024-06-01 12:00 UTC)"}; empty without a cutoff. */
    private String age(Instant cutoff, String relation, String when) {
        if (cutoff == null) {
            return "";
        }
        String date = cutoff.equals(Instant.MIN) ? "the calendar begins" : CUTOFF.format(cutoff);
        return " " + relation + " " + Durations.format(olderThan) + " (created " + when + " " + date + ")";
    }

    /**
     * Tags created before this instant are old enough; null when age does not matter. Rounded down
     * to the minute, so the date people are shown is the boundary itself, and errs towards keeping.
     */
    private Instant cutoff(Instant now) {
        if (olderThan == null) {
            return null;
        }
        try {
            return now.minus(olderThan).truncatedTo(ChronoUnit.MINUTES);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MIN; // older than the calendar allows: nothing is that old
        }
    }
}
