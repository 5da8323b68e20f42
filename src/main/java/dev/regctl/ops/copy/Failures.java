package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.http.RetryPolicy;
import dev.regctl.store.ContentMismatchException;
import dev.regctl.store.LocalWriteException;
import dev.regctl.store.SourceReadException;
import dev.regctl.store.registry.RegistryException;
import java.io.IOException;

/** How copy judges and reports failures: which are worth another attempt, and what to prefix them with. */
final class Failures {

    private Failures() {
    }

    /** The content mismatch behind {@code e}, or null: a bad source, never worth a retry. */
    static ContentMismatchException mismatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ContentMismatchException m) {
                return m;
            }
        }
        return null;
    }

    /**
     * True when another attempt may succeed: a connection broken or timed out mid-transfer, 429,
     * or a 5xx. Not a refused connection, an unknown host or a TLS failure, which will not pass,
     * nor a content mismatch, nor any other registry answer, nor a local file that cannot be written.
     */
    static boolean isTransient(Throwable e) {
        if (mismatch(e) != null) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LocalWriteException) {
                return false;
            }
            if (t instanceof RegistryException r) {
                return r.status() == 429 || r.status() >= 500;
            }
            if (t instanceof IOException io && !(t instanceof SourceReadException)) {
                return RetryPolicy.isTransient(io);
            }
        }
        return false;
    }

    /** The wait the registry asked for with {@code Retry-After} on the failure behind {@code e}, or null. */
    static java.time.Duration retryAfter(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryException r) {
                return r.retryAfter();
            }
        }
        return null;
    }

    /**
     * {@code e} with {@code context} before its message, keeping its kind and hint; a local write
     * failure stays as it is, as it names its file, which is what the user has to act on.
     */
    static RegctlException context(String context, RuntimeException e) {
        if (e instanceof LocalWriteException local) {
            return local;
        }
        if (e instanceof RegctlException r) {
            return new RegctlException(r.kind(), context + ": " + r.getMessage(), r.hint(), r);
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new RegctlException(RegctlException.Kind.FAILURE, context + ": " + why, null, e);
    }
}
