package dev.regctl.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code inspect} reports about a manifest or index. Field names are the stable JSON
 * contract documented in the README.
 *
 * @param platforms for an index, one entry per child; for an image, its own platform
 * @param layers for an image, its layers; empty for an index
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageSummary(
        String name,
        String digest,
        String mediaType,
        long size,
        String platform,
        String created,
        ConfigRef config,
        List<PlatformEntry> platforms,
        List<LayerEntry> layers,
        Long layersSize) {

    /** The config blob of an image manifest. */
    public record ConfigRef(String digest, String mediaType, long size) {
    }

    /** One child of an index. */
    public record PlatformEntry(String platform, String digest, String mediaType, long size) {
    }

    /** One layer of an image. */
    public record LayerEntry(String digest, String mediaType, long size) {
    }
}
