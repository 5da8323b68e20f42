package dev.regctl.cli;

import dev.regctl.ops.sync.SyncProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A sync's progress on stderr (images done of all, failures, bytes, rate): for a CI log a new
 * line every few seconds, where a line redrawn in place would be noise; on a terminal one line
 * redrawn every second.
 */
class ProgressLines implements AutoCloseable {
    /** Prints nothing. */
    static final ProgressLines NONE = new ProgressLines(null, null, 0, false);

    private final SyncProgress progress;
    private final PrintWriter err;
    private final long startedNanos;
    private final boolean inPlace;
    private Ticker ticker;

    private ProgressLines(SyncProgress progress, PrintWriter err, long startedNanos, boolean inPlace) {
        this.progress = progress;
        this.err = err;
        this.startedNanos = startedNanos;
        this.inPlace = inPlace;
    }

    /** @param inPlace redraw one line (a terminal) rather than add one each time (a log) */
    static ProgressLines start(SyncProgress progress, PrintWriter err, Duration every, boolean inPlace) {
        ProgressLines lines = new ProgressLines(progress, err, System.nanoTime(), inPlace);
        lines.ticker = Ticker.every(every, lines::print);
        return lines;
    }

    /** {@code sync: 12/30 images, 1 failed, 45.0 MiB, 4.5 MiB/s}. */
    static String line(SyncProgress.Snapshot s, double seconds) {
        long rate = seconds > 0 ? (long) (s.bytes() / seconds) : 0;
        return String.format(Locale.ROOT, "sync: %d/%d images, %d failed, %s, %s/s", s.done(), s.total(), s.failed(),
                Sizes.human(s.bytes()), Sizes.human(rate));
    }

    private synchronized void print() {
        String text = line(progress.snapshot(), (System.nanoTime() - startedNanos) / 1e9);
        if (inPlace) {
            err.print("\r\033[K" + text);
        } else {
            err.println(text);
        }
        err.flush();
    }

    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        ticker.stopAndWait(); // a line being drawn now is drawn before it is cleared
        if (inPlace) {
            synchronized (this) {
                err.print("\r\033[K"); // the summary follows on a clean line
                err.flush();
            }
        }
    }
}
