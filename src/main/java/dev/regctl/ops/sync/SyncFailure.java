package dev.regctl.ops.sync;

import dev.regctl.RegctlException;
import dev.regctl.ops.copy.CopyFailure;

/**
 * Why one image of a sync failed: the line it is reported with, and the kind of failure, which
 * decides the run's exit code.
 */
record SyncFailure(String message, RegctlException.Kind kind) {

    /**
     * {@code e} in one line, its hint in brackets. A copy's failure is given by its reason alone:
     * every report of an image names the source and target already.
     */
    static SyncFailure of(RuntimeException e) {
        String message = e instanceof CopyFailure copy ? copy.reason() : text(e);
        message = message.lines().findFirst().orElse("");
        if (e instanceof RegctlException r && r.hint() != null) {
            message += " (" + r.hint() + ")";
        }
        return new SyncFailure(message, e instanceof RegctlException r ? r.kind() : RegctlException.Kind.FAILURE);
    }

    private static String text(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** A failure that is no error of a registry or layout, such as an image not started. */
    static SyncFailure of(String message) {
        return new SyncFailure(message, RegctlException.Kind.FAILURE);
    }
}
