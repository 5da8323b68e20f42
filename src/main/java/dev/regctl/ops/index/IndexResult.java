package dev.regctl.ops.index;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.regctl.ops.copy.CopyResult;
import java.util.List;

/**
 * What {@code index create|add|remove} did, or would do with {@code --dry-run}. Field names are
 * the stable {@code -o json} contract of docs/commands.md.
 *
 * @param target    TARGET with the tag pushed
 * @param digest    the index's digest
 * @param manifests manifests pushed (or to push), the index included
 * @param blobs     blobs uploaded, mounted or already in TARGET's repository, over every child
 * @param bytes     blob bytes uploaded
 * @param children  the index's entries, in its order
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"target", "digest", "mediaType", "dryRun", "manifests", "blobs", "bytes", "children"})
public record IndexResult(String target, String digest, String mediaType, boolean dryRun, int manifests,
                          CopyResult.Blobs blobs, long bytes, List<Child> children) {

    /**
     * One entry.
     *
     * @param platform {@code os/arch[/variant]} with the Windows build as {@code os(version)/arch}; null when none
     * @param source   the SRC it came from, or null when TARGET's index had it
     */
    @JsonPropertyOrder({"digest", "mediaType", "platform", "source"})
    public record Child(String digest, String mediaType, String platform, String source) {
    }
}
