package dev.regctl.http;

/**
 * The kind of a request, as a request tag: {@link #BULK} marks a blob download or upload, whose
 * body may rightly take longer than the whole-request deadline small answers get (it keeps the
 * idle limit); {@link #CLEANUP} marks a request a stopping run still sends. Attach it with {@code new Request.Builder().tag(Transfer.class, Transfer.BULK)}.
 */
public enum Transfer {
    /** Blob bytes: no whole-request deadline, only the idle limit. */
    BULK,
    /** Dropping what a run left open (an upload session): still sent once the run is stopping. */
    CLEANUP
}
