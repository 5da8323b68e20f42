package dev.regctl.ops.sync;

import dev.regctl.RegctlException;
import dev.regctl.image.PlatformSelection;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.Parallel;
import dev.regctl.ops.Session;
import dev.regctl.ops.copy.BlobLedger;
import dev.regctl.ops.copy.Copier;
import dev.regctl.ops.copy.CopyListener;
import dev.regctl.ops.copy.CopyOptions;
import dev.regctl.ops.copy.CopyPlan;
import dev.regctl.ops.copy.CopyRequest;
import dev.regctl.ops.copy.CopyResult;
import dev.regctl.ops.copy.CopyStores;
import dev.regctl.ops.copy.ImageChoice;
import dev.regctl.ops.copy.TagLists;
import dev.regctl.ops.copy.TagState;
import dev.regctl.ops.copy.TransferSlots;
import dev.regctl.store.ImageStore;
import dev.regctl.store.RateLimit;
import dev.regctl.store.RegistryRepository;
import dev.regctl.store.RetryAdvice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mirrors what a {@link SyncFile} lists. {@link #plan} asks the source for its tags and, per tag,
 * one {@code HEAD} (which Docker Hub does not count as a pull); a tag the target already has at
 * that digest is skipped without ever pulling it. {@link #execute} copies the rest with
 * {@link Copier}, each image on its own: one failing is reported and the others go on. The
 * copies share what they move ({@link BlobLedger}: a layer many images have goes up once per
 * target repository, and is mounted into the others) and {@code jobs} transfer slots in all.
 *
 * <pre>{@code
 * try (Syncer syncer = new Syncer(session, jobs)) {
 *     List<SyncStep> plan = syncer.plan(entries);
 *     SyncReport report = syncer.execute(plan, progress);
 * }
 * }</pre>
 */
public final class Syncer implements AutoCloseable {
    private final Session session;
    private final int jobs;
    /** The two stores of each entry, opened once and shared by its images. */
    private final Map<SyncEntry, CopyStores> stores = new LinkedHashMap<>();
    /** Per source registry; guarded by itself. */
    private final Map<String, PullBudget> budgets = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    /** What the copies have moved into each target registry, so a blob several images share moves once. */
    private final BlobLedger ledger = new BlobLedger();
    private final TransferSlots slots;
    private Shard shard = Shard.ALL;

    /**
     * What planning found for one entry before its images are looked up one by one: the source
     * tags within its filter (for an entry naming one image, a null alone: that image), and the
     * target's tags (null when it will not list them).
     */
    private record Listing(SyncEntry entry, List<String> tags, Set<String> targetTags, SyncFailure failure) {
    }

    /** @param jobs how many images are copied at once, and how many blob transfers run at once across all of them */
    public Syncer(Session session, int jobs) {
        this.session = session;
        this.jobs = jobs;
        this.slots = new TransferSlots(jobs);
    }

    /** Keeps only the entries whose target repository is in {@code shard}. */
    public Syncer shard(Shard shard) {
        this.shard = shard;
        return this;
    }

    /** The entries of {@code entries} this syncer's shard takes. */
    public List<SyncEntry> select(List<SyncEntry> entries) {
        return entries.stream().filter(e -> shard.takes(e.targetRepository())).toList();
    }

    /**
     * Decides, for every image of the shard's entries, whether to copy, skip or prune it. Reads
     * both sides (the source with tag lists and HEADs only), writes nothing. A lookup that fails
     * becomes a step that failed, never a failure of the plan.
     */
    public List<SyncStep> plan(List<SyncEntry> entries) {
        List<Listing> listings = Parallel.map(select(entries), jobs, this::list);
        record Check(Listing listing, String tag) {
        }
        List<Check> checks = new ArrayList<>();
        List<SyncStep> steps = new ArrayList<>();
        for (Listing l : listings) {
            if (l.failure() != null) {
                steps.add(new SyncStep(l.entry(), l.entry().source(), l.entry().target(), SyncStep.Action.FAIL, null, null,
                        l.failure(), null));
                continue;
            }
            l.tags().forEach(t -> checks.add(new Check(l, t)));
        }
        steps.addAll(Parallel.map(checks, jobs, c -> check(c.listing(), c.tag())));
        for (Listing l : listings) {
            if (l.failure() == null && l.entry().prune() && l.entry().wholeRepository() && l.targetTags() != null) {
                Set<String> atSource = new HashSet<>(l.tags());
                l.targetTags().stream().filter(t -> !atSource.contains(t) && l.entry().tags().matches(t)).sorted()
                        .forEach(t -> steps.add(new SyncStep(l.entry(), null, l.entry().target().withTag(t),
                                SyncStep.Action.PRUNE, null, null, null, null)));
            }
        }
        steps.sort(java.util.Comparator.comparingInt(st -> st.entry().number())); // stable: the file's order
        return steps;
    }

    /** The entry's source tags within its filter, or the one image it names, and the target's tags. */
    private Listing list(SyncEntry entry) {
        try {
            CopyStores s = stores(entry);
            if (!entry.wholeRepository()) {
                return new Listing(entry, Collections.singletonList(null), s.target().knownTags().orElse(null), null);
            }
            TagLists lists = TagLists.read(s.source(), s.target());
            return new Listing(entry, lists.atSource().stream().filter(entry.tags()::matches).toList(), lists.atTarget(), null);
        } catch (RuntimeException e) {
            return new Listing(entry, List.of(), null, SyncFailure.of(e));
        }
    }

    /**
     * One image: copy unless the target tag already holds what the source tag names now
     * ({@link TagState#unchanged}, the decision {@code copy --all-tags} makes too). What is seen
     * goes into the step with the image as chosen here, once, so the copy neither decides nor asks again.
     *
     * @param tag the source tag of a repository entry; null for an entry naming one image
     */
    private SyncStep check(Listing listing, String tag) {
        SyncEntry entry = listing.entry();
        ImageRef source = tag == null ? entry.source() : entry.source().withTag(tag);
        ImageRef target = targetOf(entry, tag);
        try {
            CopyStores s = stores(entry);
            ImageChoice image = ImageChoice.of(new CopyRequest(source, target, false), s.source());
            // With platforms the target's manifest is read whole: whether it is current depends on what it is.
            TagState seen = TagState.look(s.source(), image.sourceReference(), s.target(), image.targetTag(),
                    listing.targetTags(), !entry.platforms().isEmpty());
            if (seen.atSource() == null) {
                throw new RegctlException(RegctlException.Kind.NOT_FOUND, entry.source().repositoryName() + " has no "
                        + image.sourceReference());
            }
            Descriptor atSource = seen.atSource();
            boolean same = seen.unchanged();
            if (same && !entry.platforms().isEmpty() && !seen.held().isIndex()) {
                // A copy made before platforms were checked, or by another tool: read from the target, which
                // holds the same bytes, so the source spends no pull; a mismatch fails as the copy would.
                PlatformSelection.requireImageFor(seen.held(), entry.platforms(), s.target(), image.source().toString());
            }
            boolean current = same ? !entry.referrers() || referrersCurrent(s, atSource.digest())
                    : seen.atTarget() != null && !entry.platforms().isEmpty() && recordsSource(seen.held(), atSource);
            return new SyncStep(entry, source, target, current ? SyncStep.Action.SKIP : SyncStep.Action.COPY,
                    atSource.digest(), seen.atTarget(), null, image.seeing(seen));
        } catch (RuntimeException e) {
            return new SyncStep(entry, source, target, SyncStep.Action.FAIL, null, null, SyncFailure.of(e), null);
        }
    }

    /**
     * True when the referrers of {@code subject} need no copy: each tag naming them (the
     * {@code sha256-<hex>} fallback index and cosign's tags) is, with a HEAD to each side, at the
     * same digest in the target as in the source, or absent from the source. A registry's
     * referrers API is not asked: its answer is not a manifest a HEAD can compare.
     */
    private static boolean referrersCurrent(CopyStores s, Digest subject) {
        List<String> tags = new ArrayList<>();
        tags.add(ReferrerTags.fallback(subject));
        tags.addAll(ReferrerTags.cosign(subject));
        for (String tag : tags) {
            Optional<Descriptor> atSource = s.source().headManifest(tag);
            if (atSource.isPresent() && !atSource.get().digest().equals(
                    s.target().headManifest(tag).map(Descriptor::digest).orElse(null))) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the target's index {@code held} under the tag was cut by {@code --platform} from
     * the source index now at {@code atSource}: the platform-filtered copy's digest differs from
     * the source's by design, so its annotation is what says it is current.
     */
    private static boolean recordsSource(RawManifest held, Descriptor atSource) {
        if (!held.isIndex() || held.index().annotations() == null) {
            return false;
        }
        return atSource.digest().toString().equals(held.index().annotations().get(PlatformSelection.SOURCE_DIGEST));
    }

    /**
     * Where an image of {@code entry} goes: the tag it has at the source ({@code tag} of a
     * repository entry), unless the entry names one.
     */
    private static ImageRef targetOf(SyncEntry entry, String tag) {
        ImageRef target = entry.target();
        if (target.tag() != null) {
            return target;
        }
        return target.withTag(entry.wholeRepository() ? tag : entry.source().tag());
    }

    /**
     * Carries out {@code plan}: copies, prunes, and reports skips, images in parallel, each
     * succeeding or failing on its own.
     */
    public SyncReport execute(List<SyncStep> plan, SyncProgress progress) {
        progress.planned(plan.size());
        List<SyncItem> items = Parallel.map(plan, jobs, step -> {
            SyncItem item = run(step, progress);
            progress.finished(item);
            return item;
        });
        String stopped;
        synchronized (budgets) {
            stopped = budgets.values().stream().filter(PullBudget::stopped).map(PullBudget::why)
                    .reduce((a, b) -> a + "; " + b).orElse(null);
        }
        return SyncReport.of(false, shard, items, seconds(started), stopped);
    }

    /**
     * The pull budget of the registry {@code step} copies from, asked for its limit (with a HEAD,
     * which costs no pull) the first time; a layout, or a registry that reports none, has no limit.
     */
    private PullBudget budget(SyncStep step) {
        ImageStore source = stores(step.entry()).source();
        Optional<String> registry = source.onRegistry().map(RegistryRepository::registry);
        if (registry.isEmpty()) {
            return new PullBudget("", null);
        }
        synchronized (budgets) {
            PullBudget b = budgets.get(registry.get());
            if (b == null) {
                RateLimit limit;
                try {
                    limit = source.rateLimit(step.image().sourceReference()).orElse(null);
                } catch (RuntimeException e) {
                    limit = null; // the copy will meet the same failure and report it
                }
                b = new PullBudget(registry.get(), limit);
                budgets.put(registry.get(), b);
            }
            return b;
        }
    }

    /** The plan as a report of what would happen, for {@code --dry-run}. */
    public SyncReport dryRun(List<SyncStep> plan) {
        List<SyncItem> items = plan.stream().map(s -> item(s, s.action().planned(), text(s.targetDigest()), 0, 0, s.failure()))
                .toList();
        return SyncReport.of(true, shard, items, seconds(started), null);
    }

    private SyncItem run(SyncStep step, SyncProgress progress) {
        long t0 = System.nanoTime();
        try {
            return switch (step.action()) {
                case SKIP -> item(step, SyncItem.SKIPPED, text(step.targetDigest()), 0, 0, null);
                case FAIL -> item(step, SyncItem.FAILED, null, 0, 0, step.failure());
                case PRUNE -> {
                    stores(step.entry()).target().deleteTag(step.target().tag());
                    yield item(step, SyncItem.PRUNED, text(step.targetDigest()), 0, seconds(t0), null);
                }
                case COPY -> copyWithin(budget(step), step, t0, progress);
            };
        } catch (RuntimeException e) {
            return item(step, SyncItem.FAILED, null, 0, seconds(t0), SyncFailure.of(e));
        }
    }

    private SyncItem copyWithin(PullBudget budget, SyncStep step, long t0, SyncProgress progress) {
        if (!budget.take()) {
            return item(step, SyncItem.FAILED, text(step.targetDigest()), 0, 0, SyncFailure.of("not started: " + budget.why()));
        }
        try (SyncProgress.Copying listener = progress.track(step.target().toString())) {
            CopyResult r = copy(step, listener);
            return item(step, SyncItem.COPIED, r.images().get(0).digest(), r.bytes(), seconds(t0), null);
        } catch (RuntimeException e) {
            RetryAdvice advice = RetryAdvice.of(e);
            if (advice.tooManyRequests()) {
                // The registry's limit is spent.
                budget.refused(advice.retryAfter());
            }
            throw e;
        }
    }

    private CopyResult copy(SyncStep step, CopyListener listener) {
        SyncEntry entry = step.entry();
        CopyStores s = stores(entry);
        CopyOptions options = new CopyOptions(entry.platforms(), false, entry.referrers(), jobs);
        Copier copier = new Copier(s.source(), s.target(), options)
                .recordingSourceDigest().sharing(ledger.target(s.target()), slots);
        // The image as chosen and seen in the plan: the copy reads the source once, and asks the
        // target nothing the plan's look already told.
        CopyPlan plan = copier.planToRun(step.image());
        return copier.execute(plan, listener);
    }

    private static SyncItem item(SyncStep step, String action, String targetDigest, long bytes, double seconds,
                                 SyncFailure failure) {
        return new SyncItem(step.source() == null ? null : step.source().toString(), step.target().toString(),
                text(step.sourceDigest()), targetDigest, action, bytes, seconds, failure == null ? null : failure.message(),
                failure == null ? null : failure.kind());
    }

    /** A digest as the report writes it; null stays null. */
    private static String text(Digest digest) {
        return digest == null ? null : digest.toString();
    }

    private CopyStores stores(SyncEntry entry) {
        synchronized (stores) {
            CopyStores s = stores.get(entry);
            if (s == null) {
                s = CopyStores.open(session, entry.source(), entry.target());
                stores.put(entry, s);
            }
            return s;
        }
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
    }

    /** Closes every store opened. */
    @Override
    public void close() {
        synchronized (stores) {
            for (CopyStores s : stores.values()) {
                s.close();
            }
            stores.clear();
        }
    }
}
