package dev.regctl.cli;

import dev.regctl.ops.sync.SyncProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A sync's progress on a terminal (stderr): its progress line, then a bar per image being copied,
 * oldest first. One thread draws the whole frame, moving back to its top each time, so images
 * copied in parallel never write over each other's lines; the transfer threads only count.
 * Lines are kept within 80 columns and the frame to {@link #MAX_BARS} bars, since a line that
 * wraps or a frame taller than the screen would throw the cursor arithmetic off.
 */
final class SyncBars implements AutoCloseable {
    /** More images in flight than this are summed up in one line. */
    static final int MAX_BARS = 10;
    private static final String CLEAR_LINE = "\033[2K";
    private static final String CLEAR_BELOW = "\033[J";

    private final SyncProgress progress;
    private final PrintWriter err;
    private final long startedNanos;
    /** How many lines the last frame drawn has, to go back up over them. */
    private int drawn;
    private Ticker ticker;

    SyncBars(SyncProgress progress, PrintWriter err, long startedNanos) {
        this.progress = progress;
        this.err = err;
        this.startedNanos = startedNanos;
    }

    static SyncBars start(SyncProgress progress, PrintWriter err, Duration every) {
        SyncBars bars = new SyncBars(progress, err, System.nanoTime());
        bars.ticker = Ticker.every(every, bars::draw);
        return bars;
    }

    /** What one frame shows: the progress line, then one line per image being copied. */
    static List<String> frame(SyncProgress.Snapshot totals, List<SyncProgress.Image> copying, double seconds) {
        List<String> lines = new ArrayList<>();
        lines.add(ProgressLines.line(totals, seconds));
        for (SyncProgress.Image i : copying.subList(0, Math.min(copying.size(), MAX_BARS))) {
            lines.add(BarRenderer.imageLine(TerminalText.line(i.target()), i.bytesDone(), i.bytes(), i.planned()));
        }
        if (copying.size() > MAX_BARS) {
            lines.add("… and " + (copying.size() - MAX_BARS) + " more images");
        }
        return lines;
    }

    /** Draws the current frame over the last one. */
    synchronized void draw() {
        List<String> lines = frame(progress.snapshot(), progress.copying(), (System.nanoTime() - startedNanos) / 1e9);
        StringBuilder out = new StringBuilder(up());
        for (String line : lines) {
            out.append(CLEAR_LINE).append(line).append('\n');
        }
        err.print(out.append(CLEAR_BELOW));
        err.flush();
        drawn = lines.size();
    }

    /** Back to the start of the last frame's first line. */
    private String up() {
        return drawn == 0 ? "\r" : "\r\033[" + drawn + "A";
    }

    /** Stops drawing and erases the frame, so the summary follows where it began. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.stopAndWait(); // a frame being drawn now is drawn before it is erased
        }
        synchronized (this) {
            err.print(up() + CLEAR_BELOW);
            err.flush();
            drawn = 0;
        }
    }
}
