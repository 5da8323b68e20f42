package dev.regctl.ops.prune;

import dev.regctl.RegctlException;
import dev.regctl.ops.Durations;
import dev.regctl.ops.NamePattern;
import dev.regctl.ops.prune.PruneDecision.Action;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The retention rule of {@code prune}, as a pure function from tags to decisions so that it can be
 * reasoned about and tested apart from any registry.
 *
 * <p>Of the tags the filter matches in full (all tags without a filter), those with a known
 * creation time are ordered newest first; the first {@code keep} stay, and of the rest only those
 * created strictly before {@code now - olderThan} (any age without {@code olderThan}) are due for deletion.
 * Deleting means deleting a manifest, so a tag due for deletion is skipped when its manifest is
 * also used by any tag that stays, selected or not, directly or as a child of an index.
 * Skipping is chosen over removing only the tag because retention exists to free images; an
 * image still in use frees nothing, and a skipped tag needs no write at all.
 *
 * <p>A tag whose creation time is unknown always stays and does not count towards {@code keep}:
 * artifacts such as signatures have no creation time, and guessing an age would delete them.
 *
 * @param filter    tags to consider, matched in full; null for every tag
 * @param keep      how many of the newest considered tags always stay, at least 0
 * @param olderThan when not null, only tags at least this old are deleted
 */
public record PrunePolicy(NamePattern filter, int keep, Duration olderThan) {

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

    /** True when prune considers {@code tag} at all. */
    public boolean selects(String tag) {
        return filter == null || filter.matches(tag);
    }

    /**
     * Decides the fate of every selected tag in {@code tags}, which must hold every tag of the
     * repository (the unselected ones protect what they use). Decisions come newest first, tags
     * of unknown age last, ties in tag order.
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
                why.put(t.tag(), "not older than " + Durations.format(olderThan));
            } else {
                fate.put(t.tag(), Action.DELETE);
                why.put(t.tag(), "beyond the newest " + keep + (cutoff == null ? "" : " and older than "
                        + Durations.format(olderThan)));
            }
        }

        // What every staying tag uses, with a tag to name in the reason.
        Map<String, String> inUse = new HashMap<>();
        for (TaggedImage t : tags) {
            if (fate.getOrDefault(t.tag(), Action.KEEP) == Action.KEEP) {
                inUse.putIfAbsent(t.digest(), "its manifest is also tagged " + t.tag() + ", which stays");
                for (String child : t.children()) {
                    inUse.putIfAbsent(child, "its manifest is part of index " + t.tag() + ", which stays");
                }
            }
        }

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
        return decisions;
    }

    /** Tags created before this instant are old enough; null when age does not matter. */
    private Instant cutoff(Instant now) {
        if (olderThan == null) {
            return null;
        }
        try {
            return now.minus(olderThan);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MIN; // older than the calendar allows: nothing is that old
        }
    }
}
