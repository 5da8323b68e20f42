package dev.regctl.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry's pull limit as it reports it in {@code ratelimit-limit} and
 * {@code ratelimit-remaining} headers ({@code 100;w=21600}: 100 pulls per 21600 s), as Docker
 * Hub does on manifest requests, HEAD included (which it does not count).
 *
 * @param limit         pulls allowed per window
 * @param remaining     pulls left in the current window
 * @param windowSeconds the window's length, null when not given
 * @param source        what the limit is counted against ({@code docker-ratelimit-source}), or null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"limit", "remaining", "windowSeconds", "source"})
public record RateLimit(int limit, int remaining, Long windowSeconds, String source) {
    private static final Pattern VALUE = Pattern.compile("\\s*(\\d{1,9})\\s*(?:;.*?\\bw=(\\d{1,9}))?.*");

    /** The limit in {@code headers} (a header lookup by name), or empty when the registry sent none. */
    public static Optional<RateLimit> of(Function<String, String> headers) {
        Matcher limit = match(headers.apply("ratelimit-limit"));
        Matcher remaining = match(headers.apply("ratelimit-remaining"));
        if (limit == null || remaining == null) {
            return Optional.empty();
        }
        String window = remaining.group(2) != null ? remaining.group(2) : limit.group(2);
        return Optional.of(new RateLimit(Integer.parseInt(limit.group(1)), Integer.parseInt(remaining.group(1)),
                window == null ? null : Long.parseLong(window), headers.apply("docker-ratelimit-source")));
    }

    private static Matcher match(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = VALUE.matcher(value);
        return m.matches() ? m : null;
    }

    /** {@code 76 of 100 pulls left per 6 h}. */
    public String describe() {
        return remaining + " of " + limit + " pulls left" + (windowSeconds == null ? "" : " per " + window(windowSeconds));
    }

    /** A window's length in words: {@code 6 h}, {@code 15 min}, {@code 90 s}. */
    public static String window(long seconds) {
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
