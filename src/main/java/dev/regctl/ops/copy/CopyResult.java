package dev.regctl.ops.copy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a copy did. Field names are the stable {@code -o json} contract documented in docs/commands.md.
 *
 * @param digest        what the destination tag points to; null with {@code --all-tags}
 * @param digestChanged true when {@code --platform} made a new index or {@code --format} converted a manifest
 *                      (of any image, with {@code --all-tags})
 * @param manifests     manifests pushed (tags moved onto manifests the target had are not counted)
 * @param bytes         blob bytes uploaded (mounted and skipped blobs move no bytes)
 * @param seconds       wall time, planning included
 * @param tags          every destination tag of the copy, moved or already right
 * @param images        per top-level image: source reference, destination tag and digests
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"source", "destination", "digest", "digestChanged", "manifests", "blobs", "bytes", "seconds",
    "tags", "images"})
public record CopyResult(String source, String destination, String digest, boolean digestChanged, int manifests,
                         Blobs blobs, long bytes, double seconds, List<String> tags, List<Image> images) {

    /** How many distinct blobs were uploaded, mounted or found already in the target. */
    @JsonPropertyOrder({"uploaded", "mounted", "skipped"})
    public record Blobs(int uploaded, int mounted, int skipped) {
    }

    /**
     * One top-level image; {@code tag} is null when it was pushed by digest only; {@code readFrom}
     * is the repository its manifest was read from (a registries.conf mirror, or the source itself).
     */
    @JsonPropertyOrder({"source", "tag", "digest", "sourceDigest", "digestChanged", "readFrom"})
    public record Image(String source, String tag, String digest, String sourceDigest, boolean digestChanged,
                        String readFrom) {
    }
}
