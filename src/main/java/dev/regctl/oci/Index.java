package dev.regctl.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/** A multi-platform index: an OCI image index or a Docker manifest list. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Index(
        int schemaVersion,
        String mediaType,
        String artifactType,
        List<Descriptor> manifests,
        Descriptor subject,
        Map<String, String> annotations) {

    public List<Descriptor> manifests() {
        return manifests == null ? List.of() : manifests;
    }
}
