package dev.regctl.store;

import dev.regctl.RegctlException;
import java.io.IOException;

/**
 * A file of a layout or an archive on this machine could not be written: a path in the way, a
 * missing or read-only directory, a full disk. Unlike a network failure, another attempt meets
 * the same disk, so a copy fails at once, with this message first.
 */
public final class LocalWriteException extends RegctlException {

    private LocalWriteException(String message, IOException cause) {
        super(Kind.FAILURE, message, null, cause);
    }

    /**
     * The failure of a write that {@code e} ended: {@code what} ({@code oci:/x: storing blob ...})
     * and what went wrong, in words. When {@code e} is the source's read failing or its content not
     * matching (a write streams its source), it is not the disk's doing: the failure is then a
     * plain one, and {@code e} decides whether another attempt may help.
     */
    public static RegctlException of(String what, IOException e) {
        String message = what + ": " + FileErrors.describe(e);
        if (e instanceof SourceReadException || e instanceof ContentMismatchException) {
            return new RegctlException(Kind.FAILURE, message, null, e);
        }
        return new LocalWriteException(message, e);
    }
}
