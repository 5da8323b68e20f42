package dev.regctl.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * An image manifest (OCI or Docker schema 2). Only used to read fields; the raw bytes in
 * {@link RawManifest} are what gets pushed, so digests never depend on re-serialisation.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        int schemaVersion,
        String mediaType,
        String artifactType,
        Descriptor config,
        List<Descriptor> layers,
        Descriptor subject,
        Map<String, String> annotations) {

    public List<Descriptor> layers() {
        return layers == null ? List.of() : layers;
    }
}
