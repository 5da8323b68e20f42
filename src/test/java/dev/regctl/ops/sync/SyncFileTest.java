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
    void badFilesSayWhatIsWrongAndWhere() {
        assertUsage("version: 2\nsync: [{source: a.io/x, target: b.io/x}]", "f line 1: version must be 1, not 2");
        assertUsage("sync: [{source: a.io/x, target: b.io/x}]", "f: version must be 1 (missing)");
        assertUsage("version: 1\nsync: []", "f line 2: \"sync\" lists nothing to mirror");
        assertUsage("version: 1\nsync:\n- source: a.io/x\n", "f line 3: sync entry 1 needs both source and target");
        assertUsage("version: 1\nsync:\n- {source: a.io/x, target: b.io/x}\n- {source: a.io/y, target: 'b.io/x:v1'}\n",
                "f line 4: sync entry 2 (a.io/y): source a.io/y is a repository, so the target must be one too");
        assertUsage("version: 1\nsync:\n- source: 'a.io/X Y'\n  target: b.io/x\n", "f line 3: source: ");
        assertUsage("version: 1\nsync:\n- {source: a.io/x, target: b.io/x, tags: {semver: 'about 1'}}\n",
                "f line 3: tags.semver: semver range \"about 1\": \"about\" is not a comparator");
        assertUsage("", "f: empty file");
        assertUsage("- a\n- b\n", "f line 1: a mapping with version and sync was expected");
    }

    @Test
    void aBadRegexNamesItsOwnLine() {
        String text = "version: 1\ndefaults:\n  tags:\n    deny:\n      - '.*-rc.*'\n      - '('\nsync:\n- {source: a.io/x, target: b.io/x}\n";
        assertUsage(text, "f line 6: tags.deny \"(\": missing closing )");
        assertUsage("version: 1\nsync:\n- source: a.io/x\n  target: b.io/x\n  tags: {allow: ['(a)\\1']}\n",
                "f line 5: tags.allow \"(a)\\1\": backreferences");
        assertUsage("version: 1\nsync:\n- source: a.io/x\n  target: b.io/x\n  tags: {allow: ['(?!rc).*']}\n",
                "f line 5: tags.allow \"(?!rc).*\": lookahead and lookbehind");
    }

    /** The probe's file: an anchor in the defaults, an alias per entry, which read as the regex "protect". */
    @Test
    void anchorsAndAliasesAreRefusedWithTheirLine() {
        String anchored = "version: 1\ndefaults:\n  prune: true\n  tags: {deny: &protect ['prod-.*']}\n"
                + "sync:\n- {source: a.io/x, target: b.io/x}\n";
        assertUsage(anchored, "f line 4: YAML anchors and aliases (&protect) are not used in a sync file");
        String aliased = "version: 1\nsync:\n- source: a.io/x\n  target: b.io/x\n  prune: true\n  tags:\n    deny: *protect\n";
        assertUsage(aliased, "f line 7: YAML anchors and aliases (*protect) are not used in a sync file");
        assertUsage("version: 1\nsync:\n- &e {source: a.io/x, target: b.io/x}\n- *e\n", "f line 3: YAML anchors");
    }

    @Test
    void yamlSyntaxErrorsKeepTheirCauseAndLine() {
        assertUsage("version: 1\nsync:\n  - source: a.io/x\n    tags\n    target: b.io/x\n",
                "f line 4: ':' expected after key \"tags\"");
        assertUsage("version: 1\nsync:\n  - source: a.io/x\n\ttarget: b.io/x\n", "f line 4: tabs are not allowed for indentation");
        assertUsage("version: 1\nsync:\n  - source: 'a.io/x\n", "f line 3: a quoted value is not closed");
        assertUsage("version: 1\nversion: 1\nsync: [{source: a.io/x, target: b.io/x}]\n", "f line 2: key \"version\" given twice");
        assertUsage("version: 1\nsync: [{source: a.io/x, target: b.io/x}\n",
                "f line 3: not valid YAML: expected ',' or ']', but got the end of the file (in the [...] list from line 2)");
        assertUsage("version: 1\nsync: " + "[".repeat(1500) + "]".repeat(1500) + "\n", "f line 2: nested too deeply for a sync file");
        assertUsage("version: 1\nsync: [{source: a.io/x, target: b.io/x}]\n---\nversion: 1\n", "f line 4: a second YAML document");
        assertUsage("version: 1\nsync:\n- {source: a.io/x, target: b.io/x, prune: !!binary dHJ1ZQ==}\n", "f line 3: YAML tags (!!binary)");
    }

    @Test
    void wrongValueTypesAreSaidInTheUsersWordsAtTheKeysLine() {
        String entry = "version: 1\nsync:\n- source: a.io/x\n  target: b.io/x\n";
        assertUsage(entry + "  prune: yes please\n", "f line 5: prune: true or false expected, got \"yes please\"");
        assertUsage(entry + "  referrers:\n    - true\n", "f line 5: referrers: true or false expected, got a list");
        assertUsage(entry + "  tags: {allow: [[a, b]]}\n", "f line 5: tags.allow: a list of regular expressions (strings) was expected");
        assertUsage(entry + "  tags:\n    deny: {a: b}\n", "f line 6: tags.deny: a list of regular expressions (strings) was expected");
        assertUsage(entry + "  tags:\n    semver: [1, 2]\n", "f line 6: tags.semver: a range such as '>=1.2 <2' (a string) was expected");
        assertUsage(entry + "  tags: [a]\n", "f line 5: tags: a mapping of allow, deny and semver was expected");
        assertUsage(entry + "  platforms: [[linux/amd64]]\n", "f line 5: platforms: a list of platforms (such as linux/amd64) was expected");
        assertUsage(entry + "  platforms: [linux]\n", "f line 5: platforms: invalid platform \"linux\"");
        assertUsage("version: 1\nsync:\n- source:\n    registry: a.io\n  target: b.io/x\n",
                "f line 3: source: a reference (a string) was expected");
        assertUsage("version: 1\nsync:\n- source: a.io/x\n  target: [b.io/x]\n", "f line 4: target: a reference (a string) was expected");
        assertUsage("version: 1\ndefaults: [prune]\nsync: [{source: a.io/x, target: b.io/x}]\n",
                "f line 2: defaults: a mapping of platforms, referrers, prune and tags was expected");
        assertUsage("version: 1\nsync: {source: a.io/x, target: b.io/x}\n", "f line 2: sync: a list of entries (each with source and target) was expected");
        assertUsage("version: 1\nsync:\n- a.io/x\n", "f line 3: sync entry 1: a mapping with source and target was expected");
        assertUsage("version: [1]\nsync: [{source: a.io/x, target: b.io/x}]\n", "f line 1: version must be 1, not a list");
    }

    @Test
    void entriesGivenTwiceAreWarnedAboutAndARepeatIsDoneOnce() {
        SyncFile f = SyncFile.parse("version: 1\nsync:\n- {source: a.io/x, target: b.io/x}\n- {source: a.io/y, target: b.io/x}\n"
                + "- source: a.io/x\n  target: b.io/x\n  prune: true\n", "f");
        assertEquals(List.of(1, 2), f.entries().stream().map(SyncEntry::number).toList());
        assertEquals(List.of("f line 4: sync entry 2 writes to b.io/x as sync entry 1 (line 3) does: each may overwrite, or prune,"
                + " what the other writes", "f line 5: sync entry 3 repeats sync entry 1 (line 3): done once"), f.warnings());
    }

    @Test
    void tagFiltersOnASingleImageAreRefused() {
        assertUsage("version: 1\nsync:\n- source: a.io/x:1.0\n  target: b.io/x\n  tags: {allow: ['1\\..*']}\n",
                "f line 5: sync entry 1 (a.io/x:1.0): tags filters pick tags of a repository, and the source names one image");
        // the defaults' filters are for the file's repository entries; an image entry is not refused for them
        SyncFile f = SyncFile.parse("version: 1\ndefaults: {tags: {allow: [x]}}\nsync:\n- {source: 'a.io/x:1.0', target: b.io/x}\n", "f");
        assertEquals(1, f.entries().size());
    }

    private static void assertUsage(String text, String prefix) {
        RegctlException e = assertThrows(RegctlException.class, () -> SyncFile.parse(text, "f"), text);
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith(prefix), "expected " + prefix + "\n     got " + e.getMessage());
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
