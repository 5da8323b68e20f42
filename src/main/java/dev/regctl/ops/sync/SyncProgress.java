package dev.regctl.ops.sync;

import dev.regctl.ops.copy.TallyingListener;
import dev.regctl.ops.copy.TransferTally;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters a running sync keeps for progress lines and bars: the images done of all, and how far
 * each image being copied now has got. Read from any thread at any time.
 */
public final class SyncProgress {
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    /** The copies under way, in the order they started; guarded by itself. */
    private final Set<Copying> copying = new LinkedHashSet<>();

    /** A point-in-time copy of the counters. */
    public record Snapshot(int done, int total, int failed, long bytes) {
    }

    /**
     * One image being copied: its target, and the bytes its blobs move (uploaded or mounted),
     * done and in all, known once its copy has been planned.
     */
    public record Image(String target, long bytesDone, long bytes, boolean planned) {
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

    /** The images being copied now, oldest first. */
    public List<Image> copying() {
        List<Copying> now;
        synchronized (copying) {
            now = new ArrayList<>(copying);
        }
        return now.stream().map(Copying::image).toList();
    }

    /** Listens to the copy of the image going to {@code target}, from before it is planned until {@link Copying#close}. */
    Copying track(String target) {
        Copying c = new Copying(target);
        synchronized (copying) {
            copying.add(c);
        }
        return c;
    }

    /** The progress of one image's copy; closing it takes the image off {@link #copying()}. */
    final class Copying extends TallyingListener implements AutoCloseable {
        private final String target;

        private Copying(String target) {
            this.target = target;
        }

        Image image() {
            TransferTally t = tally();
            return t == null ? new Image(target, 0, 0, false) : new Image(target, t.bytesDone(), t.bytes(), true);
        }

        @Override
        public void close() {
            synchronized (copying) {
                copying.remove(this);
            }
        }
    }
}
