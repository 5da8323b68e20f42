package dev.regctl.ops;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.regctl.oci.Platform;
import java.util.List;
import java.util.SortedMap;

/**
 * What {@code inspect} reports about a manifest or index. Field names are the stable JSON
 * contract documented in docs/commands.md; absent values are omitted.
 *
 * @param artifactType the manifest's own, else for an artifact its config's media type (as the
 *     referrers API reports it); null for an image
 * @param subject the digest of the manifest this one refers to (a signature's image)
 * @param platform for an image, its config's platform as {@code os/arch[/variant]}; null when it names none
 * @param osVersion for an image, its config's {@code os.version} (a Windows build); null when it names none
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
        String osVersion,
        String created,
        ConfigRef config,
        List<PlatformEntry> platforms,
        List<LayerEntry> layers,
        Long layersSize,
        SortedMap<String, String> annotations) {

    /** The platform as text shows it and {@code --platform} takes it: {@code windows(10.0.20348.2340)/amd64}. */
    @JsonIgnore
    public String platformText() {
        return platform == null ? null : Platform.withOsVersion(platform, osVersion);
    }

    /** The config blob of an image manifest. */
    public record ConfigRef(String digest, String mediaType, long size) {
    }

    /**
     * One child of an index; {@code platform} ({@code os/arch[/variant]}) is null when its entry
     * names none, {@code osVersion} when it names no {@code os.version}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlatformEntry(String platform, String osVersion, String digest, String mediaType, long size) {
        /** As {@link ImageSummary#platformText()}. */
        @JsonIgnore
        public String platformText() {
            return platform == null ? null : Platform.withOsVersion(platform, osVersion);
        }
    }

    /** One layer of an image. */
    public record LayerEntry(String digest, String mediaType, long size) {
    }
}
