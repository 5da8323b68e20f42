package dev.regctl.ops.copy;

import dev.regctl.RegctlException;

/**
 * A copy that failed, carrying which copy apart from why: the message is
 * {@code copy SOURCE -> DESTINATION: REASON}, and a caller that runs a copy as a step of its own
 * (append pulling BASE into its scratch layout, then pushing the result) words the failure from
 * these fields, never by taking the message apart.
 */
public final class CopyFailure extends RegctlException {
    private final String source;
    private final String destination;
    private final String reason;

    CopyFailure(Kind kind, String source, String destination, String reason, String hint, Throwable cause) {
        super(kind, "copy " + source + " -> " + destination + ": " + reason, hint, cause);
        this.source = source;
        this.destination = destination;
        this.reason = reason;
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
