package dev.regctl.store;

import dev.regctl.http.RetryPolicy;
import java.io.IOException;
import java.time.Duration;

/**
 * What a failed store operation says about trying it again. Judged here, where a registry's
 * answers and the transport's failures are understood, so that operations retry by this value
 * and never by status codes or socket exceptions.
 *
 * @param mayPass         another attempt may succeed: a connection broken or timed out mid-transfer, 429, a 5xx
 * @param retryAfter      the wait the registry asked for ({@code Retry-After}), or null
 * @param tooManyRequests the registry refused for its rate limit (429): its pulls are spent
 */
public record RetryAdvice(boolean mayPass, Duration retryAfter, boolean tooManyRequests) {
    /** Another attempt meets the same failure. */
    public static final RetryAdvice NEVER = new RetryAdvice(false, null, false);
    private static final RetryAdvice AGAIN = new RetryAdvice(true, null, false);

    /** A failure that judged itself where it happened: a registry's answer, by its status. */
    public interface Judged {
        RetryAdvice retryAdvice();
    }

    /**
     * The advice of the failure behind {@code failure}: never for content that did not match
     * (reading the same bytes cannot cure it) or a local file that cannot be written (another
     * attempt meets the same disk); a registry's own judgement of its answer; for a transport
     * failure, a broken or timed-out exchange may pass, a refused connection, an unknown host or
     * a TLS failure will not. A source's read failing inside a write is judged by its cause.
     */
    public static RetryAdvice of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ContentMismatchException) {
                return NEVER;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LocalWriteException) {
                return NEVER;
            }
            if (t instanceof Judged judged) {
                return judged.retryAdvice();
            }
            if (t instanceof IOException io && !(t instanceof SourceReadException)) {
                return RetryPolicy.isTransient(io) ? AGAIN : NEVER;
            }
        }
        return NEVER;
    }
}
