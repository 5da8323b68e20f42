package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.store.ContentMismatchException;
import dev.regctl.store.LocalWriteException;
import dev.regctl.store.RetryAdvice;

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

    /** True when another attempt may succeed, as the store that failed judged it ({@link RetryAdvice}). */
    static boolean isTransient(Throwable e) {
        return RetryAdvice.of(e).mayPass();
    }

    /** The wait the registry asked for with {@code Retry-After} on the failure behind {@code e}, or null. */
    static java.time.Duration retryAfter(Throwable e) {
        return RetryAdvice.of(e).retryAfter();
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
        return new RegctlException(RegctlException.Kind.FAILURE, context + ": " + why(e), null, e);
    }

    /** {@code e} as the failure of the copy from {@code source} to {@code destination}; a local write failure stays as it is. */
    static RegctlException copy(String source, String destination, RuntimeException e) {
        if (e instanceof LocalWriteException local) {
            return local;
        }
        if (e instanceof RegctlException r) {
            return new CopyFailure(r.kind(), source, destination, r.getMessage(), r.hint(), r);
        }
        return new CopyFailure(RegctlException.Kind.FAILURE, source, destination, why(e), null, e);
    }

    private static String why(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
