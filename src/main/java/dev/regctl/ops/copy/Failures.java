package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.store.ContentMismatchException;
import dev.regctl.store.LocalWriteException;
import dev.regctl.store.RetryAdvice;
import dev.regctl.store.SourceReadException;

/** How copy judges and reports failures: which are worth another attempt, and what to prefix them with. */
final class Failures {

    private Failures() {
    }

    /** The content mismatch behind {@code e}, or null: a bad source, never worth a retry. */
    static ContentMismatchException mismatch(Throwable e) {
        return causeOf(e, ContentMismatchException.class);
    }

    /** True when reading the source is what failed behind {@code e} ({@link SourceReadException}). */
    static boolean fromSource(Throwable e) {
        return causeOf(e, SourceReadException.class) != null;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
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

    /**
     * {@code e} as the failure of the copy from {@code source} to {@code destination}, in the step
     * the executor saw it in ({@link StepFailed}), else in planning; a local write failure stays as
     * it is.
     */
    static RegctlException copy(String source, String destination, RuntimeException e) {
        CopyStep step = CopyStep.PLAN;
        Descriptor blob = null;
        if (e instanceof StepFailed failed) {
            step = failed.step();
            blob = failed.blob();
            e = failed.getCause();
        }
        if (e instanceof LocalWriteException local) {
            return local;
        }
        if (e instanceof RegctlException r) {
            return new CopyFailure(r.kind(), source, destination, r.getMessage(), r.hint(), r, step, blob);
        }
        return new CopyFailure(RegctlException.Kind.FAILURE, source, destination, why(e), null, e, step, blob);
    }

    private static String why(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
