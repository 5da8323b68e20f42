package dev.regctl.ops.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a sync did (or, for a dry run, would do), one item per image; field names are the
 * {@code -o json} contract documented in docs/commands.md.
 *
 * @param shard   the shard run, {@code K/N}
 * @param stopped why new images stopped being started before the end (a rate limit), else null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"dryRun", "shard", "copied", "skipped", "pruned", "failed", "bytes", "seconds", "stopped", "images"})
public record SyncReport(boolean dryRun, String shard, int copied, int skipped, int pruned, int failed, long bytes,
                         double seconds, String stopped, List<SyncItem> images) {

    public SyncReport {
        images = List.copyOf(images);
    }

    static SyncReport of(boolean dryRun, Shard shard, List<SyncItem> images, double seconds, String stopped) {
        return new SyncReport(dryRun, shard.toString(), count(images, dryRun ? "copy" : SyncItem.COPIED),
                count(images, dryRun ? "skip" : SyncItem.SKIPPED), count(images, dryRun ? "prune" : SyncItem.PRUNED),
                (int) images.stream().filter(SyncItem::failed).count(),
                images.stream().mapToLong(SyncItem::bytes).sum(), seconds, stopped, images);
    }

    private static int count(List<SyncItem> images, String action) {
        return (int) images.stream().filter(i -> i.action().equals(action)).count();
    }

    /** The images that failed, for the summary. */
    public List<SyncItem> failures() {
        return images.stream().filter(SyncItem::failed).toList();
    }
}
