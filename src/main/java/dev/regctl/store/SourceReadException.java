package dev.regctl.store;

import java.io.IOException;

/**
 * A failure to read the content being written, raised inside a write: the source's fault, not
 * the destination's, so the destination's error handling must not report it as its own. Whether
 * another attempt may help is the cause's to say.
 */
public final class SourceReadException extends IOException {

    /** @param what the read that failed, e.g. {@code read blob sha256:... from docker.io/library/alpine} */
    public SourceReadException(String what, IOException cause) {
        super(what + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
    }

    public SourceReadException(String message) {
        super(message);
    }
}
