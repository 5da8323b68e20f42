package dev.regctl.oci;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * An image manifest (OCI or Docker schema 2), or an OCI 1.1-rc artifact manifest, which has no
 * config and whose {@code blobs} are read as its layers: what copy moves and inspect lists. Only
 * used to read fields; the raw bytes in {@link RawManifest} are what gets pushed, so digests
 * never depend on re-serialisation.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        int schemaVersion,
        String mediaType,
        String artifactType,
        Descriptor config,
        @JsonAlias("blobs") List<Descriptor> layers,
        Descriptor subject,
        Map<String, String> annotations) {

    public List<Descriptor> layers() {
        return layers == null ? List.of() : layers;
    }
}
