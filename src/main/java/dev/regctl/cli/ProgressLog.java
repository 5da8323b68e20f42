package dev.regctl.cli;

import dev.regctl.oci.RawManifest;
import dev.regctl.ops.copy.CopyPlan;
import dev.regctl.ops.copy.TallyingListener;
import dev.regctl.ops.copy.TransferTally;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A copy's progress where no one watches a terminal (CI logs, files): every {@code interval} a
 * line on stderr with blobs, bytes, rate and, for {@code --all-tags}, tags done. A copy shorter
 * than one interval prints none, leaving the summary line alone; bars would fill a log with
 * cursor movements.
 */
final class ProgressLog extends TallyingListener {
    private final PrintWriter err;
    private final Duration interval;
    private final Ticker.Start ticks;
    private final AtomicInteger tagsDone = new AtomicInteger();
    private volatile int tags;
    private volatile long startNanos;
    private Ticker ticker;

    ProgressLog(PrintWriter err, Duration interval) {
        this(err, interval, Ticker::every);
    }

    ProgressLog(PrintWriter err, Duration interval, Ticker.Start ticks) {
        this.err = err;
        this.interval = interval;
        this.ticks = ticks;
    }

    @Override
    public synchronized void started(CopyPlan plan) {
        super.started(plan);
        tags = plan.allTags() ? plan.tags().size() : 0;
        startNanos = System.nanoTime();
        ticker = ticks.every(interval, this::print);
    }

    @Override
    public void manifestPushed(RawManifest manifest, List<String> pushed) {
        tagsDone.addAndGet(pushed.size());
    }

    @Override
    public synchronized void finished() {
        if (ticker != null) {
            ticker.stop();
            ticker = null;
        }
    }

    /** Locked with {@link #finished}, so no line follows the end of the copy (and its summary). */
    private synchronized void print() {
        if (ticker == null) {
            return;
        }
        err.println(line(Duration.ofNanos(System.nanoTime() - startNanos)));
        err.flush();
    }

    /** {@code progress: 3/10 blobs, 12.0 MiB / 45.0 MiB, 4.0 MiB/s, 2/5 tags, 30 s}. */
    String line(Duration elapsed) {
        TransferTally t = tally();
        String rate = BarRenderer.rate(t.bytesDone(), elapsed);
        return "progress: " + t.blobsDone() + "/" + Plural.of(t.blobs(), "blob") + ", "
                + Sizes.human(t.bytesDone()) + " / " + Sizes.human(t.bytes())
                + (rate.isEmpty() ? "" : ", " + rate)
                + (tags > 0 ? ", " + tagsDone.get() + "/" + Plural.of(tags, "tag") : "")
                + ", " + elapsed.toSeconds() + " s";
    }
}
