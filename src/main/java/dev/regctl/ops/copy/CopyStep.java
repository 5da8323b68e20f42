package dev.regctl.ops.copy;

/** The part of a copy that failed, as {@link CopyFailure#step()} names it. */
public enum CopyStep {
    /** Reading what the source names and deciding what to move. */
    PLAN,
    /** Reading one blob from the source, its digest check included ({@link CopyFailure#blob()} names it). */
    READ_BLOB,
    /** Sending, mounting or checking one blob on the target ({@link CopyFailure#blob()} names it). */
    WRITE_BLOB,
    /** Pushing a manifest or its tag, or writing a layout's index at the end. */
    MANIFEST,
    /** Listing copied referrers under their subject. */
    REFERRERS
}
