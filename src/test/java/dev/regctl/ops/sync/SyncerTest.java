package dev.regctl.ops.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.image.PlatformSelection;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Session;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sync between OCI layouts: the same Syncer as between registries, without a network. */
class SyncerTest {
    @TempDir
    Path dir;
    private Path src;
    private Path dst;
    private RawManifest multi;

    @BeforeEach
    void sources() {
        src = dir.resolve("src");
        dst = dir.resolve("dst");
        try (OciLayoutStore s = OciLayoutStore.create(src)) {
            LayoutImages.image(s, "1.0", "linux/amd64", "a");
            LayoutImages.image(s, "1.1", "linux/amd64", "b");
            LayoutImages.image(s, "1.1-rc1", "linux/amd64", "c");
            multi = LayoutImages.index(s, "2.0", "d", "linux/amd64", "linux/arm64", "linux/s390x");
        }
    }

    private SyncReport sync(String yaml) {
        return sync(yaml, Shard.ALL, false);
    }

    private SyncReport sync(String yaml, Shard shard, boolean dryRun) {
        SyncFile file = SyncFile.parse(yaml, "test.yaml");
        try (Session session = new Session(new Session.Options(dir.resolve("docker"), false, null, Map.of()), List.of());
             Syncer syncer = new Syncer(session, 4).shard(shard)) {
            List<SyncStep> plan = syncer.plan(file.entries());
            return dryRun ? syncer.dryRun(plan) : syncer.execute(plan, new SyncProgress());
        }
    }

    private String repo(String filter) {
        return "version: 1\nsync:\n- source: oci:" + src + "\n  target: oci:" + dst + "\n  prune: true\n"
                + "  tags: {deny: ['.*-rc.*']" + filter + "}\n";
    }

    private static Map<String, String> actions(SyncReport report) {
        return report.images().stream().collect(Collectors.toMap(SyncItem::target, SyncItem::action));
    }

    @Test
    void copiesTheFilteredTagsThenSkipsThemAll() {
        SyncReport first = sync(repo(""));
        assertEquals(3, first.copied(), first.toString());
        assertEquals(0, first.failed());
        try (OciLayoutStore d = OciLayoutStore.open(dst)) {
            assertEquals(List.of("1.0", "1.1", "2.0"), d.listTags().stream().sorted().toList());
            assertEquals(multi.digest(), d.headManifest("2.0").orElseThrow().digest(), "digest-exact");
        }

        SyncReport again = sync(repo(""));
        assertEquals(0, again.copied());
        assertEquals(3, again.skipped());
        assertEquals(0, again.bytes());
        again.images().forEach(i -> assertEquals(i.sourceDigest(), i.targetDigest()));
    }

    @Test
    void aPlatformFilteredIndexRecordsItsSourceSoTheRerunSkipsIt() {
        String yaml = "version: 1\ndefaults: {platforms: [linux/arm64]}\nsync:\n- source: oci:" + src + ":2.0\n"
                + "  target: oci:" + dst + "\n";
        SyncReport first = sync(yaml);
        assertEquals(1, first.copied(), first.toString());
        SyncItem item = first.images().get(0);
        assertFalse(item.targetDigest().equals(item.sourceDigest()), "a cut index has a digest of its own");
        try (OciLayoutStore d = OciLayoutStore.open(dst)) {
            RawManifest copied = d.fetchManifest("2.0");
            assertTrue(copied.isIndex(), "one platform still an index, so it can say where it came from");
            assertEquals(1, copied.index().manifests().size());
            assertEquals(multi.digest().toString(), copied.index().annotations().get(PlatformSelection.SOURCE_DIGEST));
        }

        SyncReport again = sync(yaml);
        assertEquals(List.of(SyncItem.SKIPPED), again.images().stream().map(SyncItem::action).toList());
    }

    @Test
    void anImageOfAnotherPlatformFailsWhetherItWouldBeCopiedOrIsAlreadyThere() {
        String arm64 = "version: 1\ndefaults: {platforms: [linux/arm64]}\nsync:\n- source: oci:" + src + ":1.0\n"
                + "  target: oci:" + dst + "\n";
        SyncReport refused = sync(arm64);
        assertEquals(List.of(SyncItem.FAILED), refused.images().stream().map(SyncItem::action).toList());
        assertEquals("oci:" + src + ":1.0 is one image for linux/amd64, not linux/arm64 (leave out --platform, or name"
                + " an index that has linux/arm64)", refused.images().get(0).error());
        assertFalse(Files.exists(dst), "nothing was written");

        // Copied before platforms were checked: the rerun must not call it current.
        sync("version: 1\nsync:\n- source: oci:" + src + ":1.0\n  target: oci:" + dst + "\n");
        SyncReport held = sync(arm64);
        assertEquals(List.of(SyncItem.FAILED), held.images().stream().map(SyncItem::action).toList());
        assertEquals("oci:" + src + ":1.0 is one image for linux/amd64, not linux/arm64 (leave out --platform, or name"
                + " an index that has linux/arm64)", held.images().get(0).error());
    }

    @Test
    void prunesTagsGoneAtTheSourceWithinTheFilterOnly() throws Exception {
        sync(repo(""));
        try (OciLayoutStore d = OciLayoutStore.open(dst)) {
            LayoutImages.image(d, "local-only", "linux/amd64", "x");
            LayoutImages.image(d, "0.9-rc1", "linux/amd64", "y");
        }
        try (OciLayoutStore s = OciLayoutStore.open(src)) {
            s.deleteTag("1.0");
        }
        SyncReport report = sync(repo(", allow: ['[0-9].*']"));
        Map<String, String> actions = actions(report);
        assertEquals(SyncItem.PRUNED, actions.get("oci:" + dst + ":1.0"), report.toString());
        assertEquals(1, report.pruned(), "local-only is outside allow and 0.9-rc1 is denied: both kept");
        try (OciLayoutStore d = OciLayoutStore.open(dst)) {
            assertEquals(List.of("0.9-rc1", "1.1", "2.0", "local-only"), d.listTags().stream().sorted().toList());
        }
    }

    @Test
    void oneBrokenImageFailsAloneAndIsNamed() {
        String yaml = "version: 1\nsync:\n"
                + "- {source: 'oci:" + src + ":9.9', target: 'oci:" + dst + "'}\n"
                + "- {source: 'oci:" + dir.resolve("nowhere") + "', target: 'oci:" + dir.resolve("dst2") + "'}\n"
                + "- {source: 'oci:" + src + ":1.0', target: 'oci:" + dst + "'}\n";
        SyncReport report = sync(yaml);
        assertEquals(1, report.copied(), report.toString());
        assertEquals(2, report.failed());
        List<SyncItem> failures = report.failures();
        assertTrue(failures.get(0).source().endsWith(":9.9"), failures.toString());
        assertTrue(failures.stream().allMatch(f -> f.error() != null && !f.error().isBlank()), failures.toString());
    }

    @Test
    void aDryRunPlansAndWritesNothing() {
        SyncReport plan = sync(repo(""), Shard.ALL, true);
        assertTrue(plan.dryRun());
        assertEquals(3, plan.copied());
        assertTrue(plan.images().stream().allMatch(i -> i.action().equals("copy")), plan.toString());
        assertFalse(Files.exists(dst), "nothing written, not even the layout");
    }

    @Test
    void aShardTakesOnlyItsTargetRepositories() {
        StringBuilder yaml = new StringBuilder("version: 1\nsync:\n");
        for (int i = 0; i < 12; i++) {
            yaml.append("- {source: 'oci:").append(src).append(":1.0', target: 'oci:").append(dir.resolve("t" + i)).append("'}\n");
        }
        int total = 0;
        for (int k = 0; k < 3; k++) {
            SyncReport r = sync(yaml.toString(), new Shard(k, 3), true);
            assertEquals(k + "/3", r.shard());
            total += r.images().size();
        }
        assertEquals(12, total, "every entry in exactly one shard");
        assertNull(sync(yaml.toString(), Shard.ALL, true).stopped());
    }
}
