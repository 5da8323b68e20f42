package dev.regctl.cli;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.ops.copy.CopyListener;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan;
import dev.regctl.ops.copy.TransferTally;
import java.util.LinkedHashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A copy's progress on the terminal (stderr): one bar for the total bytes to move and one per
 * blob of a mebibyte or more, drawn by {@link BarRenderer}. Only made for a terminal; elsewhere
 * {@link ProgressLog} writes lines. All bars are made when the copy starts and closed when it
 * ends: the library redraws several bars by moving the cursor up line by line, which goes wrong
 * when bars come and go mid-run.
 */
final class ProgressBars implements CopyListener {
    private static final long MIB = 1024L * 1024;
    /** Smaller blobs (configs, tiny layers; hundreds in a sync) only move the total bar. */
    private static final long OWN_BAR_MIN = MIB;
    private static final int NAME = 12;

    /** Made once in {@link #started}, in plan order, then only read. */
    private volatile Map<Digest, ProgressBar> bars = Map.of();
    private volatile TransferTally tally;
    private volatile ProgressBar total;

    @Override
    public void started(CopyPlan plan) {
        tally = new TransferTally(plan);
        if (tally.bytes() > 0) {
            total = bar("total", tally.bytes());
        }
        Map<Digest, ProgressBar> made = new LinkedHashMap<>();
        for (CopyPlan.BlobStep step : plan.blobs()) {
            if (step.action() != BlobAction.SKIP && step.blob().size() >= OWN_BAR_MIN) {
                made.computeIfAbsent(step.blob().digest(), d -> bar(shortDigest(step.blob()), step.blob().size()))
                        .setExtraMessage(BarRenderer.WAITING);
            }
        }
        bars = made;
    }

    @Override
    public void blobStarted(Descriptor blob, BlobAction planned) {
        ProgressBar bar = bars.get(blob.digest());
        if (bar != null) {
            // The rate counts from here, not from when the copy started.
            bar.reset();
            bar.setExtraMessage("");
        }
    }

    @Override
    public void blobProgress(Descriptor blob, long transferred) {
        ProgressBar bar = bars.get(blob.digest());
        if (bar != null) {
            bar.stepTo(transferred);
        }
        tally.progress(blob, transferred);
        stepTotal();
    }

    @Override
    public void blobRestarted(Descriptor blob, int attempt, RuntimeException cause) {
        ProgressBar bar = bars.get(blob.digest());
        if (bar != null) {
            bar.stepTo(0);
            bar.setExtraMessage("retry " + attempt);
        }
        tally.progress(blob, 0);
        stepTotal();
    }

    @Override
    public void blobFinished(Descriptor blob, BlobAction done) {
        tally.finished(blob);
        stepTotal();
        ProgressBar bar = bars.get(blob.digest());
        if (bar != null) {
            bar.stepTo(blob.size());
            bar.setExtraMessage(done == BlobAction.MOUNT ? "mounted" : "");
        }
    }

    @Override
    public void finished() {
        bars.values().forEach(ProgressBar::close);
        bars = Map.of();
        if (total != null) {
            total.close();
        }
    }

    private void stepTotal() {
        ProgressBar t = total;
        if (t != null) {
            t.stepTo(tally.bytesDone());
        }
    }

    private static ProgressBar bar(String name, long max) {
        return new ProgressBarBuilder().setTaskName(taskName(name)).setInitialMax(max)
                .setRenderer(new BarRenderer()).setUpdateIntervalMillis(200).build();
    }

    /** The bar's label, padded so bars line up; escaped, as everything printed that came from a source. */
    static String taskName(String name) {
        return String.format("%-" + NAME + "s", TerminalText.line(name));
    }

    private static String shortDigest(Descriptor blob) {
        String digest = blob.digest().toString();
        int colon = digest.indexOf(':');
        return digest.substring(colon + 1, Math.min(digest.length(), colon + 1 + NAME));
    }
}
