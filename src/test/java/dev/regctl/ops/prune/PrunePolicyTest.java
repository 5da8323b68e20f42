package dev.regctl.ops.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.ops.Durations;
import dev.regctl.ops.NamePattern;
import dev.regctl.ops.prune.PruneDecision.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrunePolicyTest {
    private static final Instant NOW = Instant.parse("2024-06-30T00:00:00Z");

    /** {@code c} 64 times when it is a hex digit (referrer tags name such digests), else a digest made from it. */
    private static Digest digest(char c) {
        String hex = Character.digit(c, 16) >= 0 ? String.valueOf(c).repeat(64) : String.format("%064x", (int) c);
        return Digest.parse("sha256:" + hex);
    }

    /** A tag made {@code daysAgo} days before NOW, on its own manifest. */
    private static TaggedImage tag(String name, char digest, Integer daysAgo) {
        return new TaggedImage(name, digest(digest), daysAgo == null ? null : NOW.minus(Duration.ofDays(daysAgo)), List.of());
    }

    private static Map<String, Action> actions(List<PruneDecision> decisions) {
        Map<String, Action> out = new LinkedHashMap<>();
        decisions.forEach(d -> out.put(d.tag(), d.action()));
        return out;
    }

    private static List<PruneDecision> decide(PrunePolicy policy, TaggedImage... tags) {
        return policy.decide(List.of(tags), NOW);
    }

    @Test
    void keepsTheNewestNAndDeletesTheRestNewestFirst() {
        List<TaggedImage> tags = new ArrayList<>();
        // Listed out of order, as registries do.
        for (int day : new int[] {5, 1, 9, 3, 7, 2, 8, 4, 6, 10}) {
            tags.add(new TaggedImage("v" + day, Digest.parse("sha256:" + String.format("%064d", day)),
                    NOW.minus(Duration.ofDays(day)), List.of()));
        }
        List<PruneDecision> decisions = new PrunePolicy(null, 3, null).decide(tags, NOW);
        assertEquals(List.of("v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10"),
                decisions.stream().map(PruneDecision::tag).toList(), "newest first");
        assertEquals(List.of(Action.KEEP, Action.KEEP, Action.KEEP), decisions.subList(0, 3).stream()
                .map(PruneDecision::action).toList());
        assertEquals(7, decisions.stream().filter(PruneDecision::deletes).count());
        assertEquals("among the newest 3", decisions.get(0).reason());
        assertEquals("beyond the newest 3", decisions.get(3).reason());
        assertEquals(NOW.minus(Duration.ofDays(4)).toString(), decisions.get(3).created());
        assertEquals(Digest.parse("sha256:" + String.format("%064d", 4)), decisions.get(3).digest());
    }

    @Test
    void olderThanSparesTagsYoungerThanTheCutoff() {
        PrunePolicy policy = new PrunePolicy(null, 1, Duration.ofDays(30));
        List<PruneDecision> d = decide(policy, tag("new", 'a', 1), tag("recent", 'b', 29), tag("edge", 'c', 30),
                tag("old", 'd', 31), tag("ancient", 'e', 400));
        assertEquals(Map.of("new", Action.KEEP, "recent", Action.KEEP, "edge", Action.KEEP, "old", Action.DELETE,
                "ancient", Action.DELETE), actions(d), "exactly 30 days is not older than 30 days");
        assertEquals("not older than 30d (created at or after 2024-05-31 00:00 UTC)", d.get(1).reason());
        assertEquals("beyond the newest 1 and older than 30d (created before 2024-05-31 00:00 UTC)", d.get(3).reason());
    }

    @Test
    void keepZeroWithOlderThanDeletesOnlyOldOnes() {
        List<PruneDecision> d = decide(new PrunePolicy(null, 0, Duration.ofHours(12)),
                tag("today", 'a', 0), tag("yesterday", 'b', 1));
        assertEquals(Map.of("today", Action.KEEP, "yesterday", Action.DELETE), actions(d));
    }

    @Test
    void aFilterLimitsWhatIsConsideredAndCountedAndMatchesInFull() {
        PrunePolicy policy = new PrunePolicy(NamePattern.compile("v\\d+", "--filter"), 1, null);
        List<PruneDecision> d = decide(policy, tag("v1", 'a', 10), tag("v2", 'b', 20), tag("latest", 'c', 30),
                tag("v3-rc", 'd', 40), tag("v3", 'e', 50));
        assertEquals(Map.of("v1", Action.KEEP, "v2", Action.DELETE, "v3", Action.DELETE), actions(d),
                "latest and v3-rc are outside the filter: neither decided nor counted");
    }

    @Test
    void aDigestAKeptTagUsesIsNeverDeleted() {
        List<PruneDecision> d = decide(new PrunePolicy(null, 1, null),
                tag("new", 'a', 1), tag("old-alias-of-new", 'a', 50), tag("old", 'b', 60));
        assertEquals(Map.of("new", Action.KEEP, "old-alias-of-new", Action.SKIP, "old", Action.DELETE), actions(d));
        assertEquals("its manifest is also tagged new, which stays", d.get(1).reason());
    }

    @Test
    void aDigestATagOutsideTheFilterUsesIsNeverDeleted() {
        PrunePolicy policy = new PrunePolicy(NamePattern.compile("build-.*", "--filter"), 0, null);
        List<PruneDecision> d = decide(policy, tag("build-1", 'a', 10), tag("build-2", 'b', 20),
                new TaggedImage("stable", digest('b'), null, List.of()));
        assertEquals(Map.of("build-1", Action.DELETE, "build-2", Action.SKIP), actions(d));
        assertEquals("its manifest is also tagged stable, which stays", d.get(1).reason());
    }

    @Test
    void aManifestInsideAnIndexThatStaysIsNeverDeleted() {
        TaggedImage index = new TaggedImage("multi", digest('i'), NOW, List.of(digest('a'), digest('b')));
        List<PruneDecision> d = decide(new PrunePolicy(null, 1, null), index, tag("amd64-build", 'a', 40),
                tag("other", 'c', 50));
        assertEquals(Map.of("multi", Action.KEEP, "amd64-build", Action.SKIP, "other", Action.DELETE), actions(d));
        assertEquals("its manifest is part of index multi, which stays", d.get(1).reason());
    }

    @Test
    void tagsDueTogetherOnOneDigestAreAllDeleted() {
        List<PruneDecision> d = decide(new PrunePolicy(null, 1, null),
                tag("new", 'a', 1), tag("old", 'b', 50), tag("old-alias", 'b', 50));
        assertEquals(Map.of("new", Action.KEEP, "old", Action.DELETE, "old-alias", Action.DELETE), actions(d));
    }

    @Test
    void tagsOfUnknownAgeStayAndDoNotCountTowardsKeep() {
        List<PruneDecision> withAge = decide(new PrunePolicy(null, 1, Duration.ofDays(1)),
                tag("signature", 's', null), tag("new", 'a', 5), tag("old", 'b', 10), tag("chart", 'c', null));
        assertEquals(List.of("new", "old", "chart", "signature"), withAge.stream().map(PruneDecision::tag).toList(),
                "unknown ages last, in tag order");
        assertEquals(Map.of("new", Action.KEEP, "old", Action.DELETE, "chart", Action.KEEP, "signature", Action.KEEP),
                actions(withAge));
        assertEquals("creation time unknown", withAge.get(2).reason());

        List<PruneDecision> withoutAge = decide(new PrunePolicy(null, 0, null), tag("signature", 's', null));
        assertEquals(Map.of("signature", Action.KEEP), actions(withoutAge), "unknown age stays without --older-than too");
    }

    @Test
    void aTagOfUnknownAgeProtectsItsDigest() {
        List<PruneDecision> d = decide(new PrunePolicy(null, 0, null), tag("old", 'a', 10), tag("mystery", 'a', null));
        assertEquals(Map.of("old", Action.SKIP, "mystery", Action.KEEP), actions(d));
    }

    @Test
    void equalTimesAreOrderedByTagSoTheOutcomeIsStable() {
        List<PruneDecision> d = decide(new PrunePolicy(null, 1, null), tag("b", 'b', 3), tag("a", 'a', 3), tag("c", 'c', 3));
        assertEquals(Map.of("a", Action.KEEP, "b", Action.DELETE, "c", Action.DELETE), actions(d));
    }

    @Test
    void aHugeOlderThanDeletesNothing() {
        List<PruneDecision> d = decide(new PrunePolicy(null, 0, Durations.parse("9000000000000w")), tag("old", 'a', 10000));
        assertEquals(Map.of("old", Action.KEEP), actions(d));
    }

    @Test
    void theCutoffIsRoundedDownToTheMinuteItIsShownAs() {
        Instant now = Instant.parse("2024-06-30T10:15:42Z");
        PrunePolicy policy = new PrunePolicy(null, 0, Duration.ofDays(1));
        assertEquals("tags beyond the newest 0 and older than 1d (created before 2024-06-29 10:15 UTC)",
                policy.describe(now));
        TaggedImage atTheMinute = new TaggedImage("at", digest('a'), Instant.parse("2024-06-29T10:15:00Z"), List.of());
        TaggedImage justBefore = new TaggedImage("before", digest('b'), Instant.parse("2024-06-29T10:14:59Z"), List.of());
        TaggedImage withinTheMinute = new TaggedImage("within", digest('c'), Instant.parse("2024-06-29T10:15:30Z"), List.of());
        assertEquals(Map.of("at", Action.KEEP, "before", Action.DELETE, "within", Action.KEEP),
                actions(policy.decide(List.of(atTheMinute, justBefore, withinTheMinute), now)),
                "created at the date shown stays; only strictly before it goes");
        assertEquals("tags beyond the newest 3", new PrunePolicy(null, 3, null).describe(now));
    }

    @Test
    void aCutoffUnderAnHourNeedsForce() {
        RegctlException e = assertThrows(RegctlException.class,
                () -> PrunePolicy.requireDeliberate(Durations.parse("1m"), false));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("--older-than 1m is under one hour, so images only that old would be deleted"
                + " (m is minutes; a month is 30d)", e.getMessage());
        assertEquals("add --force to prune with a cutoff under one hour", e.hint());
        assertThrows(RegctlException.class, () -> PrunePolicy.requireDeliberate(Duration.ofMinutes(59), false));
        PrunePolicy.requireDeliberate(Duration.ofMinutes(1), true);
        PrunePolicy.requireDeliberate(Duration.ofHours(1), false);
        PrunePolicy.requireDeliberate(null, false);
    }

    private static final String SUBJECT_HEX = "b".repeat(64);

    @Test
    void referrerTagsAreNeverSelectedWhateverTheirAgeOrTheFilter() {
        // The fallback index counts as its newest referrer, an SBOM with a creation annotation: once it was pruned as an image.
        List<PruneDecision> d = decide(new PrunePolicy(NamePattern.compile(".*", "--filter"), 1, null),
                tag("v1", 'a', 1), tag("v2", 'b', 50), tag("sha256-" + "a".repeat(64), 'f', 10),
                tag("sha256-" + "a".repeat(64) + ".sig", 's', 20));
        assertEquals(Map.of("v1", Action.KEEP, "v2", Action.DELETE), actions(d),
                "v1 is kept and keeps its referrer tags; they are not decided, nor counted towards keep");
    }

    @Test
    void theReferrerTagsOfADeletedImageGoJustBeforeIt() {
        String fallback = "sha256-" + SUBJECT_HEX;
        List<PruneDecision> d = decide(new PrunePolicy(null, 1, null), tag("v1", 'a', 1), tag("v2", 'b', 50),
                new TaggedImage(fallback, digest('f'), null, List.of(digest('r'))),
                tag(fallback + ".sig", 's', null), tag(fallback + ".att", 't', null),
                tag("sha256-" + "a".repeat(64), 'g', null));
        assertEquals(List.of("v1", fallback, fallback + ".sig", fallback + ".att", "v2"),
                d.stream().map(PruneDecision::tag).toList());
        assertEquals(List.of(Action.KEEP, Action.DELETE, Action.DELETE, Action.DELETE, Action.DELETE),
                d.stream().map(PruneDecision::action).toList());
        assertEquals("referrers of v2's image, which is deleted", d.get(1).reason());
        assertEquals(digest('f'), d.get(1).digest());
        assertEquals(null, d.get(1).created());
    }

    @Test
    void aReferrerTagWhoseManifestAStayingTagUsesIsSkipped() {
        String fallback = "sha256-" + SUBJECT_HEX;
        // Two emptied indexes are byte for byte the same manifest: deleting one by digest would untag the other.
        List<PruneDecision> d = decide(new PrunePolicy(null, 1, null), tag("v1", 'a', 1), tag("v2", 'b', 50),
                tag(fallback, 'e', null), tag("sha256-" + "a".repeat(64), 'e', null));
        assertEquals(Map.of("v1", Action.KEEP, fallback, Action.SKIP, "v2", Action.DELETE), actions(d));
        assertEquals("its manifest is also tagged sha256-" + "a".repeat(64) + ", which stays", d.get(1).reason());
    }

    @Test
    void noReferrerTagGoesWithAnImageThatIsSkipped() {
        String fallback = "sha256-" + SUBJECT_HEX;
        List<PruneDecision> d = decide(new PrunePolicy(NamePattern.compile("v\\d", "--filter"), 0, null), tag("v2", 'b', 50),
                new TaggedImage("release", digest('b'), null, List.of()), tag(fallback, 'f', null));
        assertEquals(Map.of("v2", Action.SKIP), actions(d));
    }

    @Test
    void negativeKeepIsAUsageError() {
        RegctlException e = assertThrows(RegctlException.class, () -> new PrunePolicy(null, -1, null));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
    }
}
