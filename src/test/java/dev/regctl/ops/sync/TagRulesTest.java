package dev.regctl.ops.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.ops.NamePattern;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagRulesTest {

    @Test
    void semverRangesTakeVersionsOnlyAndOrderPreReleasesBelowReleases() {
        SemverRange r = SemverRange.parse(">=1.2.0 <2");
        assertTrue(r.contains("1.2.0"));
        assertTrue(r.contains("v1.10"));
        assertTrue(r.contains("1.99.3+build.5"));
        assertFalse(r.contains("2.0.0"));
        assertFalse(r.contains("1.2.0-rc1"), "a pre-release is below its release");
        assertFalse(r.contains("latest"));
        assertFalse(r.contains("1.2.0-alpine-x_y"), "not a version at all");

        SemverRange either = SemverRange.parse("1.0.0 || >=3");
        assertTrue(either.contains("1.0"));
        assertTrue(either.contains("3.19.1"));
        assertFalse(either.contains("2.0.0"));
        assertTrue(SemverRange.parse(">1.0.0-alpha.10").contains("1.0.0-beta"));
        assertFalse(SemverRange.parse(">1.0.0-alpha.10").contains("1.0.0-alpha.9"), "numeric identifiers compare as numbers");
        assertThrows(RegctlException.class, () -> SemverRange.parse(">=x"));
    }

    /** npm's rule, which the docs cite: a range that names no pre-release of 1.1.0 takes none of them. */
    @Test
    void preReleasesAreOutsideARangeUnlessItNamesOneOfTheSameVersion() {
        assertEquals(List.of("1.1.0"), taken(">=1.0.0 <2", "1.1.0-extra", "1.3.0-rc1", "v1.5-alpine", "1.1.0"));
        assertEquals(List.of("1.2.0-rc.2", "1.2.0"), taken(">=1.2.0-rc.1 <2", "1.2.0-rc.2", "1.2.0", "1.3.0-rc.1", "1.2.0-rc.0"),
                "pre-releases of 1.2.0 from the bound up, and no other");
        assertEquals(List.of("2.0.0-beta.1"), taken("<1 || =2.0.0-beta.1", "2.0.0-beta.1", "0.9.0-beta"),
                "each alternative names its own");
    }

    private static List<String> taken(String range, String... tags) {
        SemverRange r = SemverRange.parse(range);
        return java.util.Arrays.stream(tags).filter(r::contains).toList();
    }

    /** (.*-){6}rc takes java.util.regex minutes on one such tag; a linear engine, microseconds. */
    @Test
    void aHostilePatternOnALongTagEndsQuickly() {
        String hostile = "a" + "-".repeat(98);
        SyncFile file = SyncFile.parse("version: 1\nsync:\n- source: a.io/x\n  target: b.io/x\n"
                + "  tags: {allow: ['.*'], deny: ['(.*-){6}rc']}\n", "f");
        TagFilter filter = file.entries().get(0).tags();
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            for (int i = 0; i < 20; i++) {
                assertTrue(filter.matches(hostile + i % 10));
            }
        });
    }

    @Test
    void filtersMatchWholeTags() {
        TagFilter f = new TagFilter(List.of(NamePattern.compile("3\\.[0-9]+", "allow")), List.of(NamePattern.compile("3\\.1", "deny")), null);
        assertTrue(f.matches("3.19"));
        assertFalse(f.matches("3.19-slim"), "allow matches the whole tag");
        assertFalse(f.matches("3.1"), "denied");
        assertFalse(TagFilter.all().matches("sha256-" + "0".repeat(64)), "the referrers fallback tag is never an image");
    }

    @Test
    void shardsSplitRepositoriesWithoutOverlapAndTheSameEverywhere() {
        List<String> repos = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "reg.io/mirror/r" + i).toList();
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < 3; k++) {
            Shard shard = new Shard(k, 3);
            List<String> taken = repos.stream().filter(shard::takes).toList();
            assertTrue(taken.size() > 30, "roughly a third each: " + taken.size());
            taken.forEach(r -> assertTrue(seen.add(r), r + " in two shards"));
        }
        assertEquals(200, seen.size());
        // fixed by the name's SHA-256: any machine, any JVM, any run agrees
        assertTrue(new Shard(1, 3).takes("reg.io/mirror/r0") ^ !new Shard(1, 3).takes("reg.io/mirror/r0") );
        assertEquals(new Shard(2, 7).takes("reg.io/mirror/alpine"), new Shard(2, 7).takes("reg.io/mirror/alpine"));
    }

    @Test
    void shardKComesFromTheIndexedJobWhenLeftOut() {
        assertEquals(new Shard(1, 3), Shard.parse("1/3", Map.of()));
        assertEquals(new Shard(2, 3), Shard.parse("3", Map.of("JOB_COMPLETION_INDEX", "2")));
        assertEquals(new Shard(2, 3), Shard.parse("/3", Map.of("JOB_COMPLETION_INDEX", "2")));
        assertEquals(new Shard(0, 2), Shard.parse("0/2", Map.of("JOB_COMPLETION_INDEX", "1")), "K given wins");
        assertEquals(Shard.ALL, Shard.parse(null, Map.of()));
        for (String bad : List.of("3/3", "1/0", "a/b", "-1/3")) {
            RegctlException e = assertThrows(RegctlException.class, () -> Shard.parse(bad, Map.of()), bad);
            assertEquals(RegctlException.Kind.USAGE, e.kind());
        }
        RegctlException e = assertThrows(RegctlException.class, () -> Shard.parse("3", Map.of()));
        assertTrue(e.getMessage().contains("JOB_COMPLETION_INDEX"), e.getMessage());
        assertNotEquals(Shard.ALL, new Shard(0, 2));
    }
}
