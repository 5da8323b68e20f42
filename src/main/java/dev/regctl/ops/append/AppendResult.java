package dev.regctl.ops.append;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What {@code append} pushed (or, with {@code --dry-run}, would push). Field names are the stable
 * {@code -o json} contract documented in docs/commands.md.
 *
 * @param base        BASE as given
 * @param target      TARGET as given
 * @param digest      what TARGET points to: the new image, or the new index
 * @param mediaType   its media type
 * @param images      per platform built: platform and digest
 * @param layersAdded layers added to each image
 * @param bytes       blob bytes uploaded to TARGET (with {@code --dry-run}: that would be)
 * @param dryRun      true when nothing was pushed
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"base", "target", "digest", "mediaType", "images", "layersAdded", "bytes", "dryRun"})
public record AppendResult(String base, String target, String digest, String mediaType, List<Image> images,
                           int layersAdded, long bytes, boolean dryRun) {

    public AppendResult {
        images = List.copyOf(images);
    }

    /** One platform's new image; {@code platform} is null for a single image whose config names none. */
    @JsonPropertyOrder({"platform", "digest", "baseDigest"})
    public record Image(String platform, String digest, String baseDigest) {
    }
}
