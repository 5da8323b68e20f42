package dev.regctl.cli;

import dev.regctl.ops.sync.SyncProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A sync's progress on stderr when no one watches a terminal (images done of all, failures,
 * bytes, rate): for a CI log a new line every few seconds, where bars redrawn in place
 * ({@link SyncBars}) would be noise.
 */
final class ProgressLines implements AutoCloseable {
    private final SyncProgress progress;
    private final PrintWriter err;
    private final long startedNanos;
    private Ticker ticker;

    private ProgressLines(SyncProgress progress, PrintWriter err, long startedNanos) {
        this.progress = progress;
        this.err = err;
        this.startedNanos = startedNanos;
    }

    static ProgressLines start(SyncProgress progress, PrintWriter err, Duration every) {
        return start(progress, err, every, Ticker::every);
    }

    static ProgressLines start(SyncProgress progress, PrintWriter err, Duration every, Ticker.Start ticks) {
        ProgressLines lines = new ProgressLines(progress, err, System.nanoTime());
        lines.ticker = ticks.every(every, lines::print);
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
        ticker.stopAndWait(); // a line being printed now is printed before the summary
    }
}
