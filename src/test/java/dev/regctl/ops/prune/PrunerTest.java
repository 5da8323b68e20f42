package dev.regctl.ops.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Fixtures;
import dev.regctl.ops.NamePattern;
import dev.regctl.ops.prune.PruneDecision.Action;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prune reading real manifests and configs from an OCI layout. */
class PrunerTest {
    private static final Instant NOW = Instant.parse("2024-06-30T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void readsCreationTimesFromConfigsAndIndexesThenDeletesWhatThePolicySays() {
        OciLayoutStore store = OciLayoutStore.create(dir);
        Fixtures.image(store, "jan", "2024-01-01T00:00:00Z", "jan");
        Fixtures.image(store, "feb", "2024-02-01T10:00:00.123456789+02:00", "feb");
        RawManifest mar = Fixtures.image(store, "mar", "2024-03-01T00:00:00Z", "mar");
        Fixtures.image(store, "jib", "1970-01-01T00:00:00Z", "reproducible");
        Fixtures.image(store, "undated", null, "undated");
        RawManifest amd = Fixtures.image(store, null, "2024-04-01T00:00:00Z", "amd");
        RawManifest arm = Fixtures.image(store, null, "2024-05-01T00:00:00Z", "arm");
        Fixtures.index(store, "multi", amd, arm);
        store.putManifest(amd, "amd-only");

        Pruner pruner = new Pruner(store);
        List<PruneDecision> plan = pruner.plan(new PrunePolicy(null, 1, null), NOW);
        Map<String, Action> actions = new LinkedHashMap<>();
        plan.forEach(d -> actions.put(d.tag(), d.action()));
        assertEquals(List.of("multi", "amd-only", "mar", "feb", "jan", "jib", "undated"), List.copyOf(actions.keySet()),
                "the index counts as its newest image (May); epoch and missing times are unknown");
        assertEquals(List.of(Action.KEEP, Action.SKIP, Action.DELETE, Action.DELETE, Action.DELETE, Action.KEEP,
                Action.KEEP), List.copyOf(actions.values()), "amd-only is a child of the kept index");
        assertEquals("2024-05-01T00:00:00Z", plan.get(0).created());
        assertEquals("2024-02-01T08:00:00.123456789Z", plan.get(3).created());
        assertEquals(mar.digest(), plan.get(2).digest());

        List<String> deleted = new ArrayList<>();
        pruner.execute(plan, d -> deleted.add(d.tag()));
        assertEquals(List.of("mar", "feb", "jan"), deleted);
        assertEquals(List.of("jib", "undated", "multi", "amd-only"), store.listTags());
    }

    @Test
    void anImageInsideAnIndexInsideAKeptIndexIsNotDeleted() {
        OciLayoutStore store = OciLayoutStore.create(dir);
        RawManifest amd = Fixtures.image(store, "build-1", "2024-04-01T00:00:00Z", "amd");
        RawManifest arm = Fixtures.image(store, null, "2024-05-01T00:00:00Z", "arm");
        RawManifest inner = Fixtures.index(store, null, amd, arm);
        Fixtures.index(store, "release", inner);

        Pruner pruner = new Pruner(store);
        // release outside the filter: only glanced at.
        List<PruneDecision> filtered = pruner.plan(new PrunePolicy(NamePattern.compile("build-.*", "--filter"), 0,
                null), NOW);
        assertEquals(List.of(Action.SKIP), filtered.stream().map(PruneDecision::action).toList(),
                "build-1's image is in an index that release's index lists");
        // release selected too, and kept (its age is unknown).
        List<PruneDecision> all = pruner.plan(new PrunePolicy(null, 0, null), NOW);
        Map<String, Action> actions = new LinkedHashMap<>();
        all.forEach(d -> actions.put(d.tag(), d.action()));
        assertEquals(Map.of("build-1", Action.SKIP, "release", Action.KEEP), actions);

        pruner.execute(all, d -> { });
        pruner.execute(filtered, d -> { });
        assertEquals(amd.digest(), store.fetchManifest("build-1").digest());
    }

    @Test
    void olderThanAndAFilterNarrowIt() {
        OciLayoutStore store = OciLayoutStore.create(dir);
        for (int day = 1; day <= 6; day++) {
            Fixtures.image(store, "build-" + day, NOW.minus(Duration.ofDays(day * 10L)).toString(), "b" + day);
        }
        Fixtures.image(store, "release", NOW.minus(Duration.ofDays(300)).toString(), "release");

        Pruner pruner = new Pruner(store);
        List<PruneDecision> plan = pruner.plan(new PrunePolicy(NamePattern.compile("build-\\d", "--filter"), 2,
                Duration.ofDays(35)), NOW);
        assertEquals(List.of("build-4", "build-5", "build-6"),
                plan.stream().filter(PruneDecision::deletes).map(PruneDecision::tag).toList());
        pruner.execute(plan, d -> { });
        assertEquals(List.of("build-1", "build-2", "build-3", "release"), store.listTags());
    }
}
