package dev.regctl.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * When and how long to wait before trying a request again: connection failures, 5xx and 429
 * are retried with exponential backoff, honouring {@code Retry-After}, a bounded number of times.
 *
 * @param maxAttempts total attempts including the first
 * @param base first backoff; doubled per attempt
 * @param cap the longest single wait
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(20));

    /** True for the statuses a later attempt may cure. */
    public boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504 || status == 500;
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration backoff(int attempt, String retryAfter) {
        Duration fromHeader = parseRetryAfter(retryAfter);
        if (fromHeader != null) {
            return fromHeader.compareTo(cap) > 0 ? cap : fromHeader;
        }
        long ms = base.toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(ms, cap.toMillis()));
    }

    /**
     * True for failures another attempt may cure: resets and timeouts mid-exchange. A refused
     * connection, an unknown host or a TLS handshake failure will not pass, and retrying them only
     * delays the error (and the loopback HTTPS-to-HTTP fallback).
     */
    public static boolean isTransient(IOException e) {
        return !(e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof SSLException || e instanceof NoRouteToHostException
                || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)));
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    public static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Duration d = Duration.between(ZonedDateTime.now(),
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
