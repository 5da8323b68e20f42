package dev.regctl.cli;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.ops.CopyListener;
import dev.regctl.ops.CopyPlan;
import dev.regctl.ops.CopyPlan.BlobAction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A copy's progress on the terminal (stderr): one bar for the total bytes to move and one per
 * blob of a mebibyte or more. Only made for a terminal, so pipes and CI logs get the summary
 * line alone. All bars are made when the copy starts and closed when it ends: the library
 * redraws several bars by moving the cursor up line by line, which goes wrong when bars come
 * and go mid-run.
 */
final class ProgressBars implements CopyListener {
    private static final long MIB = 1024L * 1024;
    /** Smaller blobs (configs, tiny layers; hundreds in a sync) only move the total bar. */
    private static final long OWN_BAR_MIN = MIB;
    /** One fixed width for every bar, so no line wraps or leaves a longer line's tail behind. */
    private static final int WIDTH = 100;
    private static final int NAME = 12;

    /** Made once in {@link #started}, in plan order, then only read. */
    private volatile Map<Digest, ProgressBar> bars = Map.of();
    private final Map<Digest, Long> counted = new ConcurrentHashMap<>();
    private volatile ProgressBar total;

    @Override
    public void started(CopyPlan plan) {
        long bytes = plan.bytes(BlobAction.UPLOAD) + plan.bytes(BlobAction.MOUNT)
                + plan.bytes(BlobAction.UPLOAD_UNLESS_PRESENT);
        if (bytes > 0) {
            total = bar("total", bytes);
        }
        Map<Digest, ProgressBar> made = new LinkedHashMap<>();
        for (CopyPlan.BlobStep step : plan.blobs()) {
            if (step.action() != BlobAction.SKIP && step.blob().size() >= OWN_BAR_MIN) {
                made.computeIfAbsent(step.blob().digest(), d -> bar(shortDigest(step.blob()), step.blob().size()));
            }
        }
        bars = made;
    }

    @Override
    public void blobStarted(Descriptor blob, BlobAction planned) {
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

    /** Moves the total by what this blob added since it was last counted (negative on a restart). */
    private void addToTotal(Descriptor blob, long transferred) {
        Long before = counted.put(blob.digest(), transferred);
        ProgressBar t = total;
        if (t != null && before != null) {
            t.stepBy(transferred - before);
        }
    }

    private static ProgressBar bar(String name, long max) {
        return new ProgressBarBuilder().setTaskName(taskName(name)).setInitialMax(max)
                .setUnit("MiB", MIB).setMaxRenderedLength(WIDTH).setStyle(ProgressBarStyle.UNICODE_BLOCK)
                .setUpdateIntervalMillis(200).showSpeed().build();
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
