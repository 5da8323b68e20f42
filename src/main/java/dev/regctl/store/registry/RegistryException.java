package dev.regctl.store.registry;

import dev.regctl.RegctlException;
import dev.regctl.store.RetryAdvice;
import java.time.Duration;
import java.util.Set;

/**
 * A registry answered with an error. Carries the HTTP status and the first error code from the
 * body ({@code errors[].code}, e.g. {@code MANIFEST_UNKNOWN}); the message shows the registry's
 * own words, which are often the only useful explanation. Callers outside the registry store
 * read it as a {@link RegctlException} and its {@link RetryAdvice}.
 */
final class RegistryException extends RegctlException implements RetryAdvice.Judged {
    private static final Set<String> NOT_FOUND_CODES =
            Set.of("NAME_UNKNOWN", "MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "BLOB_UPLOAD_UNKNOWN", "NOT_FOUND");
    private static final Set<String> AUTH_CODES = Set.of("UNAUTHORIZED", "DENIED", "FORBIDDEN");

    private final int status;
    private final String code;
    private final Duration retryAfter;

    public RegistryException(int status, String code, String message, String hint) {
        this(status, code, message, hint, null);
    }

    /** @param retryAfter the wait the registry asked for ({@code Retry-After}), or null */
    public RegistryException(int status, String code, String message, String hint, Duration retryAfter) {
        super(kindOf(status, code), message, hint, null);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** How long the registry asked to wait before trying again, or null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** A later attempt may pass a spent rate limit (429) or a failing server (5xx); no other answer changes. */
    @Override
    public RetryAdvice retryAdvice() {
        return new RetryAdvice(status == 429 || status >= 500, retryAfter, status == 429);
    }

    public int status() {
        return status;
    }

    /** The registry's error code, or null when the body had none. */
    public String code() {
        return code;
    }

    static Kind kindOf(int status, String code) {
        if (code != null && NOT_FOUND_CODES.contains(code)) {
            return Kind.NOT_FOUND;
        }
        if (code != null && AUTH_CODES.contains(code)) {
            return Kind.AUTH;
        }
        if ("UNSUPPORTED".equals(code)) {
            return Kind.UNSUPPORTED;
        }
        return switch (status) {
            case 404 -> Kind.NOT_FOUND;
            case 401, 403 -> Kind.AUTH;
            case 405, 501 -> Kind.UNSUPPORTED;
            default -> Kind.FAILURE;
        };
    }
}
