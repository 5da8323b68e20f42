package dev.regctl.cli;

import dev.regctl.ops.sync.SyncProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A sync's progress as a line on stderr every few seconds (images done of all, failures, bytes,
 * rate): what a CI log can show, where bars redrawn in place would be noise.
 */
class ProgressLines implements AutoCloseable {
    /** Prints nothing. */
    static final ProgressLines NONE = new ProgressLines(null, null, 0);

    private final SyncProgress progress;
    private final PrintWriter err;
    private final long startedNanos;
    private ScheduledExecutorService timer;

    private ProgressLines(SyncProgress progress, PrintWriter err, long startedNanos) {
        this.progress = progress;
        this.err = err;
        this.startedNanos = startedNanos;
    }

    static ProgressLines start(SyncProgress progress, PrintWriter err, Duration every) {
        ProgressLines lines = new ProgressLines(progress, err, System.nanoTime());
        lines.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "regctl-progress");
            t.setDaemon(true);
            return t;
        });
        lines.timer.scheduleAtFixedRate(lines::print, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return lines;
    }

    /** {@code sync: 12/30 images, 1 failed, 45.0 MiB, 4.5 MiB/s}. */
    static String line(SyncProgress.Snapshot s, double seconds) {
        long rate = seconds > 0 ? (long) (s.bytes() / seconds) : 0;
        return String.format(Locale.ROOT, "sync: %d/%d images, %d failed, %s, %s/s", s.done(), s.total(), s.failed(),
                Sizes.human(s.bytes()), Sizes.human(rate));
    }

    private void print() {
        err.println(line(progress.snapshot(), (System.nanoTime() - startedNanos) / 1e9));
        err.flush();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
