package dev.regctl.store;

import java.io.IOException;

/**
 * An archive that is not what it claims to be: truncated, a member that climbs out of it or is a
 * link where content belongs, a file its manifest names but that is missing. It will not be any
 * different on another attempt, so it is no passing failure.
 */
public final class BadArchiveException extends IOException {

    public BadArchiveException(String message) {
        super(message);
    }
}
