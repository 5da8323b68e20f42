package dev.regctl.cli;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a running copy has moved so far, for both ways of showing progress: the blobs and bytes
 * the plan moves, and how many of them are done. A blob that restarts takes back what it had
 * counted. Thread-safe: the transfer threads report into it.
 */
final class TransferTally {
    private final int blobs;
    private final long bytes;
    private final Map<Digest, Long> counted = new ConcurrentHashMap<>();
    private final AtomicLong moved = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();

    TransferTally(CopyPlan plan) {
        this.blobs = (int) plan.blobs().stream().filter(b -> b.action() != BlobAction.SKIP).count();
        this.bytes = plan.bytes(BlobAction.UPLOAD) + plan.bytes(BlobAction.MOUNT)
                + plan.bytes(BlobAction.UPLOAD_UNLESS_PRESENT);
    }

    /** Counts {@code transferred} bytes for the blob in its current attempt (0 on a restart). */
    void progress(Descriptor blob, long transferred) {
        Long before = counted.put(blob.digest(), transferred);
        moved.addAndGet(transferred - (before == null ? 0 : before));
    }

    void finished(Descriptor blob) {
        progress(blob, blob.size());
        finished.incrementAndGet();
    }

    /** Blobs to upload or mount. */
    int blobs() {
        return blobs;
    }

    int blobsDone() {
        return finished.get();
    }

    /** Bytes to upload or mount. */
    long bytes() {
        return bytes;
    }

    long bytesDone() {
        return moved.get();
    }
}
