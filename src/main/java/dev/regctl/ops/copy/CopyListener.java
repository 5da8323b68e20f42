package dev.regctl.ops.copy;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import java.util.List;

/**
 * Hears about a copy while it runs, for progress display. Called from the transfer threads, so
 * implementations must be thread-safe and quick. Every method does nothing by default.
 */
public interface CopyListener {

    /** Hears nothing. */
    CopyListener NONE = new CopyListener() {
    };

    /** Execution of {@code plan} begins. */
    default void started(CopyPlan plan) {
    }

    /** A blob's transfer (upload or mount) begins. */
    default void blobStarted(Descriptor blob, BlobAction planned) {
    }

    /** {@code transferred} bytes of the blob have been read from the source in the current attempt. */
    default void blobProgress(Descriptor blob, long transferred) {
    }

    /** The blob's transfer failed transiently and starts again from its first byte. */
    default void blobRestarted(Descriptor blob, int attempt, RuntimeException cause) {
    }

    /** The blob is in the target; {@code done} says whether it was uploaded or mounted. */
    default void blobFinished(Descriptor blob, BlobAction done) {
    }

    /** A manifest was written to the target, under {@code tags} or, when empty, by digest. */
    default void manifestPushed(RawManifest manifest, List<String> tags) {
    }

    /** Execution ended, successfully or not. */
    default void finished() {
    }
}
