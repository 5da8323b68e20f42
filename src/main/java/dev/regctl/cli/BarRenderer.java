package dev.regctl.cli;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * Draws one progress bar line in fixed columns, so the bar keeps its width while the numbers
 * beside it change, and the rate has a decimal from the first tenth of a second (the library's
 * own shows {@code ?MiB/s} for a second, then whole seconds only). A blob not yet started reads
 * {@code waiting}, not 0 %.
 */
final class BarRenderer implements ProgressBarRenderer {
    /** The extra message that marks a bar whose blob has not started. */
    static final String WAITING = "waiting";
    private static final int BAR = 30;
    /** The widest a sync's image line gets: 80 columns, less one so no terminal wraps it early. */
    static final int IMAGE_WIDTH = 79;
    private static final int IMAGE_NAME = 30;
    private static final int IMAGE_BAR = 16;
    private static final String[] EIGHTHS = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

    @Override
    public String render(ProgressState state, int maxLength) {
        return line(state.getTaskName(), state.getCurrent(), state.getMax(), state.getElapsedAfterStart(),
                state.getExtraMessage());
    }

    static String line(String name, long current, long max, Duration elapsed, String extra) {
        if (WAITING.equals(extra)) {
            return String.format(Locale.ROOT, "%s │%s│ %-4s %23s %12s %s", name, " ".repeat(BAR), "", "", "", WAITING);
        }
        double done = max <= 0 ? 1 : Math.min(1, (double) current / max);
        return String.format(Locale.ROOT, "%s │%s│ %3d%% %23s %12s %s", name, bar(done, BAR), (int) (done * 100),
                Sizes.human(current) + " / " + Sizes.human(max), rate(current, elapsed), extra == null ? "" : extra).stripTrailing();
    }

    /**
     * One image of a sync, in {@link #IMAGE_WIDTH} columns at most, so a frame of them never wraps
     * on an 80-column terminal: {@code …mirror/alpine:3.19 │██████▌        │  42% 12.6 MiB / 30.0 MiB}.
     * {@code name} is escaped already; an image not yet planned reads {@code planning}.
     */
    static String imageLine(String name, long current, long max, boolean planned) {
        String label = String.format("%-" + IMAGE_NAME + "s", fit(name, IMAGE_NAME));
        if (!planned) {
            return label + " │" + " ".repeat(IMAGE_BAR) + "│ planning";
        }
        double done = max <= 0 ? 1 : Math.min(1, (double) current / max);
        return String.format(Locale.ROOT, "%s │%s│ %3d%% %s", label, bar(done, IMAGE_BAR), (int) (done * 100),
                Sizes.human(current) + " / " + Sizes.human(max));
    }

    /** The end of {@code name} when it is longer than {@code width}: the repository and tag say most. */
    private static String fit(String name, int width) {
        return name.length() <= width ? name : "…" + name.substring(name.length() - width + 1);
    }

    /** Bytes per second, or blank before a tenth of a second has passed. */
    static String rate(long bytes, Duration elapsed) {
        long millis = elapsed.toMillis();
        return millis < 100 ? "" : Sizes.human(bytes * 1000 / millis) + "/s";
    }

    private static String bar(double done, int width) {
        int eighths = (int) (done * width * 8);
        String full = "█".repeat(eighths / 8);
        String part = eighths / 8 < width ? EIGHTHS[eighths % 8] : "";
        return full + part + " ".repeat(width - full.length() - part.length());
    }
}
