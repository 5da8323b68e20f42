package dev.regctl.ops.sync;

import dev.regctl.store.RateLimit;
import java.time.Duration;

/**
 * The pulls a sync may still spend on one source registry, from the limit it reported: a sync
 * starts an image only while doing so leaves at least one pull, so it never runs the limit to
 * zero, and stops starting images there once the registry answers 429. Thread-safe.
 */
final class PullBudget {
    /** Pulls left untouched, so whoever shares the limit is not locked out by a mirror. */
    static final int RESERVE = 1;

    private final String registry;
    private final RateLimit reported;
    private int remaining;
    private Duration retryAfter;
    private int notStarted;

    /** @param reported the limit the registry reported, or null when it reported none (no budget then) */
    PullBudget(String registry, RateLimit reported) {
        this.registry = registry;
        this.reported = reported;
        this.remaining = reported == null ? Integer.MAX_VALUE : reported.remaining();
    }

    /** True, spending one pull, when an image may start; false counts it as not started. */
    synchronized boolean take() {
        if (remaining > RESERVE) {
            remaining--;
            return true;
        }
        notStarted++;
        return false;
    }

    /**
     * Spends what is left when a request was refused with 429: the registry has said stop.
     *
     * @param retryAfter the wait it asked for, or null
     */
    synchronized void refused(Duration retryAfter) {
        remaining = 0;
        this.retryAfter = retryAfter;
    }

    synchronized boolean stopped() {
        return notStarted > 0;
    }

    /** Why images were not started, for each of them and for the report. */
    synchronized String why() {
        StringBuilder b = new StringBuilder(registry);
        b.append(reported != null ? " reported " + reported.describe() : " has no pulls left");
        if (retryAfter != null) {
            b.append(", then refused a pull with 429");
        }
        b.append("; ").append(notStarted).append(notStarted == 1 ? " image" : " images").append(" not started; ");
        if (retryAfter != null) {
            b.append("rerun in ").append(RateLimit.window(Math.max(1, retryAfter.toSeconds())));
        } else if (reported != null && reported.windowSeconds() != null) {
            b.append("rerun when its ").append(RateLimit.window(reported.windowSeconds())).append(" window has passed");
        } else {
            b.append("rerun later");
        }
        return b.toString();
    }
}
