package dev.regctl.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.SortedMap;

/**
 * What {@code inspect} reports about a manifest or index. Field names are the stable JSON
 * contract documented in the README; absent values are omitted.
 *
 * @param artifactType the manifest's own, else for an artifact its config's media type (as the
 *     referrers API reports it); null for an image
 * @param subject the digest of the manifest this one refers to (a signature's image)
 * @param platform for an image, its config's platform; null when it names none
 * @param platforms for an index, one entry per child
 * @param layers for an image, its layers
 * @param annotations the manifest's annotations, sorted by key; null when it has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageSummary(
        String name,
        String digest,
        String mediaType,
        long size,
        String artifactType,
        String subject,
        String platform,
        String created,
        ConfigRef config,
        List<PlatformEntry> platforms,
        List<LayerEntry> layers,
        Long layersSize,
        SortedMap<String, String> annotations) {

    /** The config blob of an image manifest. */
    public record ConfigRef(String digest, String mediaType, long size) {
    }

    /** One child of an index; {@code platform} is null when its entry names none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlatformEntry(String platform, String digest, String mediaType, long size) {
    }

    /** One layer of an image. */
    public record LayerEntry(String digest, String mediaType, long size) {
    }
}
