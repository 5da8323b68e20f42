package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan.BlobStep;
import dev.regctl.store.ImageStore;
import dev.regctl.store.SourceReadException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Moves one blob from source to target: a mount where planned and accepted, else a stream from
 * the source's verified reader into the target's upload, never the whole blob in memory. A
 * transient failure (a broken connection, 429, 5xx) starts the transfer again from the first
 * byte with a new upload session, up to {@link #MAX_ATTEMPTS} times: the HTTP layer cannot
 * replay a streamed body itself.
 */
final class BlobTransfer {
    static final int MAX_ATTEMPTS = 3;
    /**
     * Progress is reported at most once per this many bytes (and at the blob's end): a report
     * per read (8 KiB) updated a map and a shared counter 65,536 times for 512 MiB, while a bar
     * redraws a few times a second.
     */
    static final long PROGRESS_STEP = 256 * 1024;

    /** Waits before another attempt; replaced in tests so backoff is asserted without sleeping. */
    interface Backoff {
        /** @param retryAfter what the registry asked for with {@code Retry-After}, or null */
        void pause(int failedAttempts, Duration retryAfter) throws InterruptedException;
    }

    /**
     * What the registry asked for, capped at a minute; else one second, then two: long enough
     * for a restarting registry or a rate limit to pass.
     */
    static final Backoff EXPONENTIAL = (failed, retryAfter) -> Thread.sleep(retryAfter != null
            ? Math.min(retryAfter.toMillis(), 60_000L) : 1000L << Math.min(failed - 1, 4));

    private final ImageStore source;
    private final ImageStore target;
    private final CopyListener listener;
    private final Backoff backoff;
    private final AtomicBoolean aborted;
    private final BlobLedger.Target ledger;
    private final TransferSlots slots;

    /**
     * @param aborted set when the copy has failed elsewhere: transfers stop reading and do not retry
     * @param ledger  what other copies of the run have moved into the target's registry
     * @param slots   bounds the transfers of the whole run
     */
    BlobTransfer(ImageStore source, ImageStore target, CopyListener listener, Backoff backoff, AtomicBoolean aborted,
                 BlobLedger.Target ledger, TransferSlots slots) {
        this.source = source;
        this.target = target;
        this.listener = listener;
        this.backoff = backoff;
        this.aborted = aborted;
        this.ledger = ledger;
        this.slots = slots;
    }

    /**
     * Transfers the blob; returns what was done (a declined mount is an upload, a blob found
     * present a skip). Waits first while another copy of the run moves the same blob, which may
     * leave nothing to do, or a repository to mount it from.
     */
    BlobAction run(BlobStep step) {
        Descriptor blob = step.blob();
        if (ledger.claim(blob.digest()) instanceof BlobLedger.Move move) {
            boolean moved = false;
            try {
                BlobAction done = slots.run(() -> transfer(step, move.mountFrom()));
                moved = true;
                return done;
            } finally {
                ledger.done(blob.digest(), moved);
            }
        }
        listener.blobStarted(blob, step.action());
        listener.blobFinished(blob, BlobAction.SKIP);
        return BlobAction.SKIP;
    }

    /** @param sharedFrom a repository of the target's registry another copy of the run put the blob in, or null */
    private BlobAction transfer(BlobStep step, String sharedFrom) {
        Descriptor blob = step.blob();
        listener.blobStarted(blob, step.action());
        if (step.action() == BlobAction.MOUNT && mounted(blob, step.mountFrom())
                || sharedFrom != null && mounted(blob, sharedFrom)) {
            listener.blobFinished(blob, BlobAction.MOUNT);
            return BlobAction.MOUNT;
        }
        for (int attempt = 1; ; attempt++) {
            boolean[] sourceFailed = {false};
            try {
                BlobAction done = upload(blob, step.action() == BlobAction.UPLOAD_UNLESS_PRESENT, sourceFailed);
                listener.blobFinished(blob, done);
                return done;
            } catch (RuntimeException e) {
                if (aborted.get() || !Failures.isTransient(e)) {
                    throw failed(blob, sourceFailed[0], e);
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw failed(blob, sourceFailed[0], Failures.context("gave up on blob " + blob.digest()
                            + " after " + attempt + " attempts", e));
                }
                listener.blobRestarted(blob, attempt + 1, e);
                pause(attempt, Failures.retryAfter(e));
            }
        }
    }

    /**
     * A mount the registry keeps failing transiently (after the HTTP layer's own retries) is not
     * worth failing the copy for: moving the bytes is the fallback a declined mount gets anyway.
     */
    private boolean mounted(Descriptor blob, String from) {
        try {
            return target.mountBlob(blob, from);
        } catch (RuntimeException e) {
            if (aborted.get() || !Failures.isTransient(e)) {
                throw e;
            }
            return false;
        }
    }

    /** {@code e} with the side of the transfer it happened on: reading the source, or writing the target. */
    private static StepFailed failed(Descriptor blob, boolean sourceFailed, RuntimeException e) {
        boolean reading = sourceFailed || Failures.mismatch(e) != null || Failures.fromSource(e);
        return new StepFailed(reading ? CopyStep.READ_BLOB : CopyStep.WRITE_BLOB, blob, e);
    }

    /**
     * Streams the blob from the source into the target; with {@code unlessPresent}, the target
     * may find it has the blob, and the source is then never opened. {@code sourceFailed} is set
     * when opening the source is what failed.
     */
    private BlobAction upload(Descriptor blob, boolean unlessPresent, boolean[] sourceFailed) {
        InputStream[] opened = new InputStream[1];
        Supplier<InputStream> content = () -> {
            try {
                opened[0] = source.openBlob(blob);
            } catch (RuntimeException e) {
                sourceFailed[0] = true;
                throw e;
            }
            return new Counting(opened[0], blob);
        };
        try {
            if (!unlessPresent) {
                target.putBlob(blob, content.get());
                return BlobAction.UPLOAD;
            }
            return target.putBlobUnlessPresent(blob, content) ? BlobAction.UPLOAD : BlobAction.SKIP;
        } finally {
            close(opened[0]);
        }
    }

    private static void close(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // The upload's outcome is decided; a failed close of the source changes nothing.
        }
    }

    private void pause(int failedAttempts, Duration retryAfter) {
        try {
            backoff.pause(failedAttempts, retryAfter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegctlException(RegctlException.Kind.FAILURE, "interrupted while waiting to retry");
        }
    }

    /** Reports bytes read to the listener, and stops reading once the copy has failed elsewhere. */
    private final class Counting extends FilterInputStream {
        private final Descriptor blob;
        private long count;
        private long reported;

        Counting(InputStream in, Descriptor blob) {
            super(in);
            this.blob = blob;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (aborted.get()) {
                throw new InterruptedIOException("copy aborted");
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                // Raised inside the target's upload: marked so the failure names the source, not the target.
                throw new SourceReadException("read blob " + blob.digest() + " from " + source.name(), e);
            }
            if (n > 0) {
                count += n;
                if (count - reported >= PROGRESS_STEP || count == blob.size()) {
                    reported = count;
                    listener.blobProgress(blob, count);
                }
            }
            return n;
        }

        @Override
        public void close() {
            // The transfer closes the source itself; the target must not end it early.
        }
    }
}
