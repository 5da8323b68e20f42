package dev.regctl.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A pointer to content: media type, digest and size, with the optional fields OCI allows. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(
        String mediaType,
        String digest,
        long size,
        Platform platform,
        String artifactType,
        Map<String, String> annotations,
        List<String> urls) {

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest.toString(), size, null, null, null, null);
    }

    /** Only media type, digest and size: the entry to write when nothing else should travel with it. */
    public Descriptor bare() {
        return new Descriptor(mediaType, digest, size, null, null, null, null);
    }

    /** The parsed digest (validated). */
    public Digest parsedDigest() {
        return Digest.parse(digest);
    }
}
