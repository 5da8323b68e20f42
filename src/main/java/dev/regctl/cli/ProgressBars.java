package dev.regctl.cli;

import dev.regctl.oci.Descriptor;
import dev.regctl.ops.CopyListener;
import dev.regctl.ops.CopyPlan;
import dev.regctl.ops.CopyPlan.BlobAction;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A copy's progress on the terminal (stderr): one bar per blob in flight and one for the total
 * bytes to move. Only made for a terminal, so pipes and CI logs get the summary line alone.
 */
final class ProgressBars implements CopyListener {
    private static final long MIB = 1024L * 1024;

    private final Map<String, ProgressBar> bars = new ConcurrentHashMap<>();
    private final Map<String, Long> counted = new ConcurrentHashMap<>();
    private volatile ProgressBar total;

    @Override
    public void started(CopyPlan plan) {
        long bytes = plan.bytes(BlobAction.UPLOAD) + plan.bytes(BlobAction.MOUNT);
        if (bytes > 0) {
            total = bar("total", bytes);
        }
    }

    @Override
    public void blobStarted(Descriptor blob, BlobAction planned) {
        bars.put(blob.digest(), bar(shortDigest(blob), blob.size()));
        counted.put(blob.digest(), 0L);
    }

    @Override
    public void blobProgress(Descriptor blob, long transferred) {
        ProgressBar bar = bars.get(blob.digest());
        if (bar != null) {
            bar.stepTo(transferred);
        }
        addToTotal(blob, transferred);
    }

    @Override
    public void blobRestarted(Descriptor blob, int attempt, RuntimeException cause) {
        ProgressBar bar = bars.get(blob.digest());
        if (bar != null) {
            bar.stepTo(0);
            bar.setExtraMessage("retry " + attempt);
        }
        addToTotal(blob, 0);
    }

    @Override
    public void blobFinished(Descriptor blob, BlobAction done) {
        addToTotal(blob, blob.size());
        ProgressBar bar = bars.remove(blob.digest());
        if (bar != null) {
            bar.stepTo(blob.size());
            bar.setExtraMessage(done == BlobAction.MOUNT ? "mounted" : "");
            bar.close();
        }
    }

    @Override
    public void finished() {
        bars.values().forEach(ProgressBar::close);
        bars.clear();
        if (total != null) {
            total.close();
        }
    }

    /** Moves the total by what this blob added since it was last counted (negative on a restart). */
    private void addToTotal(Descriptor blob, long transferred) {
        Long before = counted.put(blob.digest(), transferred);
        ProgressBar t = total;
        if (t != null && before != null) {
            t.stepBy(transferred - before);
        }
    }

    private static ProgressBar bar(String name, long max) {
        return new ProgressBarBuilder().setTaskName(name).setInitialMax(max).setUnit("MiB", MIB)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK).setUpdateIntervalMillis(200).showSpeed().build();
    }

    private static String shortDigest(Descriptor blob) {
        String digest = blob.digest();
        int colon = digest.indexOf(':');
        return digest.substring(colon + 1, Math.min(digest.length(), colon + 13));
    }
}
