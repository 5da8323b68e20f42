package dev.regctl.cli;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.copy.CopyListener;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan;
import java.util.List;

/** Passes a copy's events on and tells {@link EarlyExit} of each tag written, for the line a stopped run prints. */
final class TagCountingListener implements CopyListener {
    private final CopyListener next;

    TagCountingListener(CopyListener next) {
        this.next = next;
    }

    @Override
    public void manifestPushed(RawManifest manifest, List<String> tags) {
        EarlyExit.tagged(tags.size());
        next.manifestPushed(manifest, tags);
    }

    @Override
    public void started(CopyPlan plan) {
        next.started(plan);
    }

    @Override
    public void blobStarted(Descriptor blob, BlobAction planned) {
        next.blobStarted(blob, planned);
    }

    @Override
    public void blobProgress(Descriptor blob, long transferred) {
        next.blobProgress(blob, transferred);
    }

    @Override
    public void blobRestarted(Descriptor blob, int attempt, RuntimeException cause) {
        next.blobRestarted(blob, attempt, cause);
    }

    @Override
    public void blobFinished(Descriptor blob, BlobAction done) {
        next.blobFinished(blob, done);
    }

    @Override
    public void finished() {
        next.finished();
    }
}
