package dev.regctl.ops.sync;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters a running sync keeps for progress lines: read from any thread at any time.
 */
public final class SyncProgress {
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    /** A point-in-time copy of the counters. */
    public record Snapshot(int done, int total, int failed, long bytes) {
    }

    void planned(int images) {
        total.addAndGet(images);
    }

    void finished(SyncItem item) {
        done.incrementAndGet();
        bytes.addAndGet(item.bytes());
        if (item.failed()) {
            failed.incrementAndGet();
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(done.get(), total.get(), failed.get(), bytes.get());
    }
}
