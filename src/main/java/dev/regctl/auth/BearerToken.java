package dev.regctl.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** An access token from a token endpoint and when it stops being good. */
record BearerToken(String value, Instant issuedAt, Instant expiresAt) {

    BearerToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * True while the token may still be sent at {@code now}. A tenth of its life (at most ten
     * seconds) is held back so a token does not expire between being chosen and being checked.
     */
    boolean usableAt(Instant now) {
        Duration life = Duration.between(issuedAt, expiresAt);
        Duration margin = life.dividedBy(10).compareTo(Duration.ofSeconds(10)) < 0
                ? life.dividedBy(10) : Duration.ofSeconds(10);
        return now.isBefore(expiresAt.minus(margin));
    }

    @Override
    public String toString() {
        return "BearerToken[value=" + Redaction.MASK + ", expiresAt=" + expiresAt + "]";
    }
}
