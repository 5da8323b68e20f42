package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.image.ReferrersIndex;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan.BlobStep;
import dev.regctl.ops.copy.CopyPlan.ManifestStep;
import dev.regctl.ops.copy.CopyPlan.ReferrerLink;
import dev.regctl.store.ContentMismatchException;
import dev.regctl.store.ImageStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Carries out a {@link CopyPlan} on a bounded pool, in phases so that nothing is pushed before
 * what it references: every blob, then manifests level by level (images, then the indexes
 * listing them, then referrers), each tag with its manifest; last, the referrers tag schema
 * where the target needs it. The first failure stops the copy: no new work starts, transfers
 * under way stop reading, and no later phase runs, so a bad blob leaves nothing tagged.
 */
final class CopyExecutor {
    private final ImageStore source;
    private final ImageStore target;
    private final int jobs;
    private final CopyListener listener;
    private final BlobTransfer transfer;
    private final BlobLedger.Target ledger;

    private final AtomicBoolean aborted = new AtomicBoolean();
    private final AtomicReference<StepFailed> failure = new AtomicReference<>();
    private final AtomicInteger uploaded = new AtomicInteger();
    private final AtomicInteger mounted = new AtomicInteger();
    private final AtomicInteger found = new AtomicInteger();
    private final AtomicInteger manifestsPushed = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    CopyExecutor(ImageStore source, ImageStore target, int jobs, CopyListener listener, BlobTransfer.Backoff backoff,
                 BlobLedger.Target ledger, TransferSlots slots) {
        this.source = source;
        this.target = target;
        this.jobs = jobs;
        this.listener = listener;
        this.ledger = ledger;
        this.transfer = new BlobTransfer(source, target, listener, backoff, aborted, ledger, slots);
    }

    /**
     * What was done; counts are of distinct blobs and manifests.
     *
     * @param found blobs planned as upload-unless-present that the target turned out to have
     */
    record Outcome(int uploaded, int mounted, int found, int manifestsPushed, long bytes) {
    }

    Outcome run(CopyPlan plan) {
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "regctl-copy");
            t.setDaemon(true);
            return t;
        });
        try {
            plan.blobs().stream().filter(b -> b.action() == BlobAction.SKIP).forEach(b -> ledger.found(b.blob().digest()));
            runAll(pool, plan.blobs().stream().filter(b -> b.action() != BlobAction.SKIP).toList(), this::copyBlob,
                    (step, e) -> e instanceof StepFailed named ? named : new StepFailed(CopyStep.WRITE_BLOB, step.blob(), e));
            TreeMap<Integer, List<ManifestStep>> levels = plan.manifests().stream().filter(ManifestStep::hasWork)
                    .collect(Collectors.groupingBy(ManifestStep::level, TreeMap::new, Collectors.toList()));
            for (List<ManifestStep> level : levels.values()) {
                runAll(pool, level, this::push, (step, e) -> new StepFailed(CopyStep.MANIFEST, null, e));
            }
            runAll(pool, links(plan), this::link, (link, e) -> new StepFailed(CopyStep.REFERRERS, null, e));
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(uploaded.get(), mounted.get(), found.get(), manifestsPushed.get(), bytes.get());
    }

    private void copyBlob(BlobStep step) {
        Descriptor blob = step.blob();
        BlobAction done;
        try {
            done = transfer.run(step);
        } catch (RuntimeException e) {
            ContentMismatchException mismatch = Failures.mismatch(e);
            if (mismatch != null) {
                throw new StepFailed(CopyStep.READ_BLOB, blob, new RegctlException(RegctlException.Kind.FAILURE,
                        "blob " + blob.digest() + " from " + source.name() + " does not match its descriptor: "
                        + mismatch.getMessage() + "; nothing was tagged", null, e));
            }
            throw e;
        }
        if (done == BlobAction.MOUNT) {
            mounted.incrementAndGet();
        } else if (done == BlobAction.SKIP) {
            found.incrementAndGet();
        } else {
            uploaded.incrementAndGet();
            bytes.addAndGet(blob.size());
        }
    }

    private void push(ManifestStep step) {
        RawManifest manifest = step.manifest();
        if (step.tags().isEmpty()) {
            target.putManifest(manifest, null);
        }
        for (String tag : step.tags()) {
            target.putManifest(manifest, tag);
        }
        if (step.push()) {
            manifestsPushed.incrementAndGet();
        }
        listener.manifestPushed(manifest, step.tags());
    }

    /**
     * The referrers the target must list after the copy: those the plan copied as referrers, and
     * every manifest of the plan that names a {@code subject}, however it came to be copied (the
     * distribution spec has the client that pushes such a manifest list it, not only a copy of
     * referrers). One link per subject, each referrer once.
     */
    static List<ReferrerLink> links(CopyPlan plan) {
        Map<Digest, Map<Digest, Descriptor>> bySubject = new LinkedHashMap<>();
        for (ReferrerLink link : plan.referrerLinks()) {
            Map<Digest, Descriptor> listed = bySubject.computeIfAbsent(link.subject(), s -> new LinkedHashMap<>());
            link.referrers().forEach(d -> listed.putIfAbsent(d.digest(), d));
        }
        for (ManifestStep step : plan.manifests()) {
            Digest subject = ReferrersIndex.subjectOf(step.manifest());
            if (subject != null) {
                bySubject.computeIfAbsent(subject, s -> new LinkedHashMap<>())
                        .putIfAbsent(step.manifest().digest(), ReferrersIndex.entry(step.manifest()));
            }
        }
        List<ReferrerLink> links = new ArrayList<>();
        bySubject.forEach((subject, referrers) -> links.add(new ReferrerLink(subject, List.copyOf(referrers.values()))));
        return links;
    }

    /**
     * Makes the copied referrers findable in the target. A registry with the referrers API, and
     * a layout, list them as soon as they are pushed; a registry without the API lists only what
     * its {@code sha256-<hex>} tag's index names, which the spec has the pushing client maintain.
     */
    private void link(ReferrerLink link) {
        ReferrersIndex.list(target, link.subject(), link.referrers())
                .ifPresent(index -> listener.manifestPushed(index, List.of(ReferrerTags.fallback(link.subject()))));
    }

    /**
     * Runs {@code work} on every item in parallel; after all have ended, throws the first failure,
     * as {@code failed} names the step it happened in.
     */
    private <T> void runAll(ExecutorService pool, List<T> items, Consumer<T> work,
                            BiFunction<T, RuntimeException, StepFailed> failed) {
        List<Future<?>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(pool.submit(() -> {
                if (aborted.get()) {
                    return;
                }
                try {
                    work.accept(item);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, failed.apply(item, e));
                    aborted.set(true);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                aborted.set(true);
                Thread.currentThread().interrupt();
                throw new RegctlException(RegctlException.Kind.FAILURE, "interrupted");
            } catch (ExecutionException e) {
                // Only Errors get here; RuntimeExceptions were recorded above.
                aborted.set(true);
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        StepFailed first = failure.get();
        if (first != null) {
            throw first;
        }
    }
}
