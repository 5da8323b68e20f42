package dev.regctl;

/**
 * A failure the user can act on. Its message is one line that names what failed and why; the
 * {@link Kind} decides the documented exit code, which the CLI edge maps in one place.
 */
public class RegctlException extends RuntimeException {

    /** What sort of failure this is, independent of how it is reported. */
    public enum Kind {
        /** Bad usage or bad input: unknown option, unparsable reference. */
        USAGE,
        /** The registry (or layout) has no such repository, tag, manifest or blob. */
        NOT_FOUND,
        /** Authentication or authorization refused. */
        AUTH,
        /** The registry does not offer this operation (delete disabled, no catalog). */
        UNSUPPORTED,
        /** Anything else: network, TLS, registry error, digest mismatch. */
        FAILURE
    }

    private final Kind kind;
    private final String hint;

    public RegctlException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public RegctlException(Kind kind, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hint = hint;
    }

    public Kind kind() {
        return kind;
    }

    /** A suggestion of how to fix the failure, or null when none helps. */
    public String hint() {
        return hint;
    }
}
