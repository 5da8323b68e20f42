package dev.regctl.store;

import java.io.IOException;

/**
 * Content that does not match the digest or size its descriptor promised. A distinct type so that
 * callers which retry transient I/O failures can tell this one apart: reading the same bytes
 * again cannot cure it, and nothing built on them may be published.
 */
public final class ContentMismatchException extends IOException {

    public ContentMismatchException(String message) {
        super(message);
    }
}
