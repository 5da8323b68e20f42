package dev.regctl.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One output pipe of a credential helper, read on its own thread: at most a limit (more is
 * reported, never buffered), and only until the helper itself has exited. A daemon the helper
 * started (gpg-agent, a keyring broker) may inherit the pipe and hold it open for hours, so
 * end-of-file is not what ends the answer; the helper's exit is.
 */
final class HelperPipe {
    /**
     * How often the reader looks for data. It never blocks in {@code read}, because a read
     * blocked on a pipe a daemon holds could not be told that the helper has exited.
     */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<Void> overflow = new CompletableFuture<>();
    private final CompletableFuture<byte[]> contents = new CompletableFuture<>();
    private final Thread reader;
    private volatile boolean helperExited;

    /** Starts reading {@code in} on a daemon thread named {@code name}. */
    HelperPipe(InputStream in, int limit, String name) {
        this.in = in;
        this.limit = limit;
        this.reader = new Thread(this::read, name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Completes as soon as more than the limit has arrived; the reader has stopped then. */
    CompletableFuture<Void> overflow() {
        return overflow;
    }

    /** Says the helper has exited: what is in the pipe now is the rest of its output. */
    void helperExited() {
        helperExited = true;
        LockSupport.unpark(reader);
    }

    /** What was read, once the reader has stopped (after {@link #helperExited}, an overflow or a broken pipe). */
    CompletableFuture<byte[]> contents() {
        return contents;
    }

    private void read() {
        byte[] chunk = new byte[8192];
        try (in) {
            while (true) {
                // Looked at before available(): once the helper has exited, everything it wrote is
                // already counted there, and what a daemon writes later is not its answer.
                boolean last = helperExited;
                int available = in.available();
                if (available > 0) {
                    int n = in.read(chunk, 0, Math.min(chunk.length, available));
                    if (n < 0) {
                        break;
                    }
                    bytes.write(chunk, 0, n);
                    if (bytes.size() > limit) {
                        overflow.complete(null);
                        break;
                    }
                } else if (last) {
                    break;
                } else {
                    LockSupport.parkNanos(this, POLL_NANOS);
                }
            }
        } catch (IOException e) {
            // A broken pipe ends the output; the helper's exit status says what happened.
        }
        contents.complete(bytes.toByteArray());
    }
}
