package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import java.util.Optional;

/**
 * A copy that failed, carrying which copy apart from why: the message is
 * {@code copy SOURCE -> DESTINATION: REASON}, and a caller that runs a copy as a step of its own
 * (append pulling BASE into its scratch layout, then pushing the result) words the failure from
 * these fields, never by taking the message apart: {@link #step()} says which part of the copy
 * failed and {@link #blob()} which blob, when it was one.
 */
public final class CopyFailure extends RegctlException {
    private final String source;
    private final String destination;
    private final String reason;
    private final CopyStep step;
    private final transient Descriptor blob;

    CopyFailure(Kind kind, String source, String destination, String reason, String hint, Throwable cause,
                CopyStep step, Descriptor blob) {
        super(kind, "copy " + source + " -> " + destination + ": " + reason, hint, cause);
        this.source = source;
        this.destination = destination;
        this.reason = reason;
        this.step = step;
        this.blob = blob;
    }

    /** Which part of the copy failed. */
    public CopyStep step() {
        return step;
    }

    /** The blob that failed, for a {@link CopyStep#BLOB} failure. */
    public Optional<Descriptor> blob() {
        return Optional.ofNullable(blob);
    }

    /** What was copied from, as the copy names it. */
    public String source() {
        return source;
    }

    /** What was copied to, as the copy names it. */
    public String destination() {
        return destination;
    }

    /** Why it failed, in the failure's own words, without which copy it was. */
    public String reason() {
        return reason;
    }
}
