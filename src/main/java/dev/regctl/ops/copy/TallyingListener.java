package dev.regctl.ops.copy;

import dev.regctl.oci.Descriptor;
import dev.regctl.ops.copy.CopyPlan.BlobAction;

/**
 * Counts what a copy moves into a {@link TransferTally} made when it starts, for the progress
 * printers that only need the totals (copy's log lines, sync's bar per image): they extend it.
 */
public class TallyingListener implements CopyListener {
    private volatile TransferTally tally;

    /** What the copy has moved so far; null until it has started. */
    public final TransferTally tally() {
        return tally;
    }

    @Override
    public void started(CopyPlan plan) {
        tally = new TransferTally(plan);
    }

    @Override
    public final void blobProgress(Descriptor blob, long transferred) {
        tally.progress(blob, transferred);
    }

    @Override
    public final void blobRestarted(Descriptor blob, int attempt, RuntimeException cause) {
        tally.progress(blob, 0);
    }

    @Override
    public final void blobFinished(Descriptor blob, BlobAction done) {
        tally.finished(blob);
    }
}
