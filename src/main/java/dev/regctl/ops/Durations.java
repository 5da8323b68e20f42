package dev.regctl.ops;

import dev.regctl.RegctlException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads ages written the way retention policies are: a number and a unit, {@code 30d}, {@code 12h},
 * {@code 90m}, {@code 2w}, {@code 45s}, or several of them together, {@code 1w3d}. Days and weeks
 * are fixed 24-hour days, which is what an age measured from a timestamp means. {@code m} is
 * minutes, as in Go, docker and kubectl; months and years, which vary in length, are refused with
 * a word saying so rather than read as anything. How long to wait ({@code --timeout}) is written
 * with hours down to milliseconds instead, as Go and kubectl write it: {@code 30s}, {@code 1m30s},
 * {@code 500ms}.
 */
public final class Durations {
    /** Retention ages: weeks down to seconds. */
    private static final Units AGES = new Units("(?:\\d+[wdhms])+", "w, d, h, m or s", "30d, 12h, 90m, 2w or 1w3d");
    /** Waits: hours down to milliseconds ({@code ms} before {@code m}, so "5ms" is not five minutes and an s). */
    private static final Units WAITS = new Units("(?:\\d+(?:ms|[hms]))+", "h, m, s or ms", "30s, 10m, 1h, 1m30s or 500ms");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|[wdhms])");
    private static final Pattern MONTHS_OR_YEARS = Pattern.compile("\\d+(?:mo|M|y|Y|months?|years?)");

    /** The units one kind of duration takes, and the examples its error message gives. */
    private record Units(Pattern whole, String names, String examples) {
        Units(String whole, String names, String examples) {
            this(Pattern.compile(whole), names, examples);
        }
    }

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws RegctlException USAGE naming the accepted forms when {@code text} is not one of them
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (MONTHS_OR_YEARS.matcher(s).matches()) {
            throw invalid(text, "months and years vary in length; write days or weeks, e.g. 30d, 26w or 365d");
        }
        return parse(text, s, AGES);
    }

    /**
     * Parses {@code text} as a wait: {@code h}, {@code m}, {@code s} and {@code ms}, alone or together.
     *
     * @throws RegctlException USAGE naming the accepted forms when {@code text} is not one of them
     */
    public static Duration parseWait(String text) {
        return parse(text, text == null ? "" : text.trim(), WAITS);
    }

    private static Duration parse(String text, String s, Units units) {
        if (!units.whole().matcher(s).matches()) {
            throw invalid(text, "expected a number and a unit (" + units.names() + "), e.g. " + units.examples());
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(s);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                Duration part = switch (m.group(2)) {
                    case "w" -> Duration.ofDays(Math.multiplyExact(n, 7L));
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "ms" -> Duration.ofMillis(n);
                    default -> Duration.ofSeconds(n);
                };
                total = total.plus(part);
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(text, "too large");
        }
        return total;
    }

    /**
     * The shortest text {@link #parse} reads back as {@code d}, e.g. {@code 30d} or {@code 1d12h}, for messages
     * ({@code ms} for what is left under a second, as {@link #parseWait} reads it).
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long seconds = d.getSeconds();
        int millis = d.toMillisPart();
        long[] sizes = {7 * 86_400L, 86_400L, 3_600L, 60L, 1L};
        char[] units = {'w', 'd', 'h', 'm', 's'};
        for (int i = 0; i < sizes.length; i++) {
            // Weeks only when exact: "30d" reads better than "4w2d".
            if (i == 0 && seconds % sizes[0] != 0) {
                continue;
            }
            if (seconds >= sizes[i]) {
                out.append(seconds / sizes[i]).append(units[i]);
                seconds %= sizes[i];
            }
        }
        if (millis > 0) {
            out.append(millis).append("ms");
        }
        return out.toString();
    }

    private static RegctlException invalid(String text, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, "invalid duration \"" + text + "\": " + why);
    }
}
