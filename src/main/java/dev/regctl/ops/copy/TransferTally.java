package dev.regctl.ops.copy;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a running copy has moved so far, for every way of showing progress (copy's bars and log
 * lines, sync's bar per image): the blobs and bytes the plan moves, and how many of them are done. A blob that restarts takes back what it had
 * counted. Thread-safe: the transfer threads report into it.
 */
public final class TransferTally {
    private final int blobs;
    private final long bytes;
    private final Map<Digest, Long> counted = new ConcurrentHashMap<>();
    private final AtomicLong moved = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();

    public TransferTally(CopyPlan plan) {
        this.blobs = (int) plan.blobs().stream().filter(b -> b.action() != BlobAction.SKIP).count();
        this.bytes = plan.bytes(BlobAction.UPLOAD) + plan.bytes(BlobAction.MOUNT)
                + plan.bytes(BlobAction.UPLOAD_UNLESS_PRESENT);
    }

    /** Counts {@code transferred} bytes for the blob in its current attempt (0 on a restart). */
    public void progress(Descriptor blob, long transferred) {
        Long before = counted.put(blob.digest(), transferred);
        moved.addAndGet(transferred - (before == null ? 0 : before));
    }

    public void finished(Descriptor blob) {
        progress(blob, blob.size());
        finished.incrementAndGet();
    }

    /** Blobs to upload or mount. */
    public int blobs() {
        return blobs;
    }

    public int blobsDone() {
        return finished.get();
    }

    /** Bytes to upload or mount. */
    public long bytes() {
        return bytes;
    }

    public long bytesDone() {
        return moved.get();
    }
}
