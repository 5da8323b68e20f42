package dev.regctl.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Docker schema 1 manifest, read-only: layers as {@code fsLayers} (top layer first, no sizes)
 * and, per layer, a v1 image JSON in {@code history}, the first of which is the image's config.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Schema1Manifest(
        String name,
        String tag,
        String architecture,
        List<FsLayer> fsLayers,
        List<History> history) {


    /** One layer: only its digest is recorded. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FsLayer(String blobSum) {
    }

    /** The v1 image JSON of one layer, as a string. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record History(String v1Compatibility) {
    }

    /**
     * The layer digests base first, as OCI lists them (schema 1 lists the top layer first).
     * Repeats are kept: schema 1 names the empty layer once per metadata-only step.
     */
    public List<Digest> layers() {
        List<Digest> layers = new ArrayList<>();
        if (fsLayers != null) {
            for (FsLayer l : fsLayers) {
                layers.add(0, blobSum(l));
            }
        }
        return layers;
    }

    private static Digest blobSum(FsLayer layer) {
        String text = layer == null ? null : layer.blobSum();
        try {
            return Digest.parse(String.valueOf(text));
        } catch (dev.regctl.RegctlException e) {
            throw new dev.regctl.RegctlException(dev.regctl.RegctlException.Kind.FAILURE,
                    "schema 1 manifest lists a layer whose blobSum is no digest: " + e.getMessage(), null, e);
        }
    }

    /** {@code os/architecture}, from the image's v1 JSON where it says, else the manifest's architecture alone; null if neither. */
    public String platform() {
        String arch = architecture != null && !architecture.isEmpty() ? architecture : image().path("architecture").asText("");
        String os = image().path("os").asText("");
        if (arch.isEmpty()) {
            return null;
        }
        return os.isEmpty() ? arch : os + "/" + arch;
    }

    /** The creation time the image's v1 JSON records, or null. */
    public String created() {
        String created = image().path("created").asText("");
        return created.isEmpty() ? null : created;
    }

    /** The top layer's v1 JSON, which describes the image as a whole. */
    private JsonNode image() {
        if (history == null || history.isEmpty() || history.get(0) == null || history.get(0).v1Compatibility() == null) {
            return Json.mapper().missingNode();
        }
        try {
            JsonNode node = Json.readTree(history.get(0).v1Compatibility());
            return node == null ? Json.mapper().missingNode() : node;
        } catch (IOException e) {
            return Json.mapper().missingNode();
        }
    }
}
