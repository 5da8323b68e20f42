package dev.regctl.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.regctl.RegctlException;
import java.util.List;
import java.util.Map;

/**
 * A pointer to content: media type, digest and size, with the optional fields OCI allows. The
 * size is checked on construction, so no descriptor from any source can promise a negative or
 * absurd amount of content.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(
        String mediaType,
        Digest digest,
        long size,
        Platform platform,
        String artifactType,
        Map<String, String> annotations,
        List<String> urls) {

    /**
     * The largest size regctl accepts, 1 TiB. Far above any real layer, yet low enough that a
     * descriptor claiming more is refused before a stream, a temp file or a disk is sized by it.
     */
    public static final long MAX_SIZE = 1L << 40;

    public Descriptor {
        // The OCI spec makes size a non-negative int64; a negative one has also meant "unknown"
        // to stream readers, which a hostile source must not be able to ask for.
        if (size < 0) {
            throw invalidSize(digest, "size " + size + " is negative");
        }
        if (size > MAX_SIZE) {
            throw invalidSize(digest, "size " + size + " is over the 1 TiB regctl accepts");
        }
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, null, null, null);
    }

    /** Only media type, digest and size: the entry to write when nothing else should travel with it. */
    public Descriptor bare() {
        return new Descriptor(mediaType, digest, size, null, null, null, null);
    }

    private static RegctlException invalidSize(Digest digest, String why) {
        return new RegctlException(RegctlException.Kind.FAILURE, "descriptor of " + digest + ": " + why);
    }
}
