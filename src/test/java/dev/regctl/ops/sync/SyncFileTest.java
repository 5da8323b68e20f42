package dev.regctl.ops.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncFileTest {
    private static final String EXAMPLE = """
            version: 1
            defaults:
              platforms: [linux/amd64, linux/arm64]
              referrers: true
              prune: true
              tags:
                allow: ['.*']
                deny: ['.*-rc.*']
                semver: '>=1.2.0 <2'
            sync:
              - source: docker.io/library/alpine
                target: registry.internal:5000/mirror/alpine
                tags: {allow: ['1\\.[0-9]+', '3\\.[0-9]+(\\.[0-9]+)?']}
              - source: docker.io/library/busybox:1.36
                target: registry.internal:5000/mirror/busybox:1.36
                platforms: [linux/amd64]
                referrers: false
            """;

    @Test
    void theIssuesExampleReadsWithDefaultsAppliedKeyByKey() {
        SyncFile file = SyncFile.parse(EXAMPLE, "sync.yaml");

        SyncEntry alpine = file.entries().get(0);
        assertTrue(alpine.wholeRepository());
        assertEquals("registry.internal:5000/mirror/alpine", alpine.targetRepository());
        assertEquals(List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")), alpine.platforms());
        assertTrue(alpine.referrers());
        assertTrue(alpine.prune());
        // allow is the entry's; deny and semver still the defaults'
        assertTrue(alpine.tags().matches("1.3"), "allowed, in range");
        assertFalse(alpine.tags().matches("3.19"), "allowed, but outside the default semver range");
        assertFalse(alpine.tags().matches("1.3-rc1"), "denied by the default");

        SyncEntry busybox = file.entries().get(1);
        assertFalse(busybox.wholeRepository());
        assertEquals(List.of(Platform.parse("linux/amd64")), busybox.platforms());
        assertFalse(busybox.referrers());
    }

    @Test
    void withoutDefaultsEveryTagAndPlatformIsTakenAndNothingPruned() {
        SyncEntry e = SyncFile.parse("version: 1\nsync:\n- {source: a.io/x, target: b.io/x}\n", "f").entries().get(0);
        assertEquals(List.of(), e.platforms());
        assertFalse(e.prune());
        assertFalse(e.referrers());
        assertTrue(e.tags().matches("latest"));
        assertFalse(e.tags().matches("sha256-" + "a".repeat(64) + ".sig"), "referrer tags travel with referrers");
    }

    @Test
    void anUnknownKeyIsAUsageErrorNamingItsLine() {
        String text = "version: 1\nsync:\n  - source: a.io/x\n    target: b.io/x\n    prunee: true\n    tags: {allow: [x]}\n";
        RegctlException e = assertThrows(RegctlException.class, () -> SyncFile.parse(text, "f.yaml"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("f.yaml line 5: unknown key \"prunee\""), e.getMessage());
        assertTrue(e.getMessage().contains("prune"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void badFilesSayWhatIsWrong() {
        assertUsage("version: 2\nsync: [{source: a.io/x, target: b.io/x}]", "f: version must be 1, not 2");
        assertUsage("version: 1\nsync: []", "f: \"sync\" lists nothing to mirror");
        assertUsage("version: 1\nsync: [{source: a.io/x}]", "f: sync entry 1 needs both source and target");
        assertUsage("version: 1\nsync: [{source: a.io/x, target: b.io/x:v1}]",
                "f: sync entry 1 (a.io/x): source a.io/x is a repository, so the target must be one too");
        assertUsage("version: 1\nsync: [{source: a.io/x, target: b.io/x, tags: {allow: ['(']}}]",
                "f: sync entry 1 (a.io/x): tags.allow \"(\": missing closing )");
        assertUsage("version: 1\nsync: [{source: a.io/x, target: b.io/x, tags: {semver: 'about 1'}}]",
                "f: sync entry 1 (a.io/x): semver range \"about 1\": \"about\" is not a comparator");
        assertUsage("version: 1\nsync: [{source: 'a.io/X Y', target: b.io/x}]", "f: sync entry 1 (a.io/X Y): ");
        assertUsage("version: 1\nsync:\n- source: [a, b]\n  target: b.io/x\n", "f line 3: ");
    }

    private static void assertUsage(String text, String prefix) {
        RegctlException e = assertThrows(RegctlException.class, () -> SyncFile.parse(text, "f"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void theShippedExampleIsAValidFileAndEveryRunnerShardsIt() throws Exception {
        java.nio.file.Path examples = java.nio.file.Path.of("docs/examples");
        SyncFile file = SyncFile.read(examples.resolve("sync.yaml"));
        assertEquals(4, file.entries().size());
        assertTrue(java.nio.file.Files.readString(examples.resolve("kubernetes-indexed-job.yaml"))
                .contains("\"--shard\", \"3\""), "K from JOB_COMPLETION_INDEX");
        assertTrue(java.nio.file.Files.readString(examples.resolve("github-actions.yml")).contains("--shard ${{ matrix.shard }}/3"));
        assertTrue(java.nio.file.Files.readString(examples.resolve("gitlab-ci.yml")).contains("--shard \"$SHARD/3\""));
    }
}
