package dev.regctl.oci;

import dev.regctl.RegctlException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The manifest family a copy can convert to ({@code --format}, named as skopeo names them). */
public enum ManifestFormat {
    /** OCI image manifests and indexes: what skopeo, buildah and podman look up in a layout. */
    OCI("oci", "OCI", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX),
    /** Docker image manifest schema 2 and Docker manifest lists. */
    V2S2("v2s2", "Docker schema 2", MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);

    private final String flag;
    private final String label;
    private final String manifestType;
    private final String indexType;

    ManifestFormat(String flag, String label, String manifestType, String indexType) {
        this.flag = flag;
        this.label = label;
        this.manifestType = manifestType;
        this.indexType = indexType;
    }

    /** Parses the value of {@code --format}. */
    public static ManifestFormat parse(String value) {
        for (ManifestFormat f : values()) {
            if (f.flag.equals(value.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new RegctlException(RegctlException.Kind.USAGE, "invalid --format \"" + value + "\": expected "
                + Arrays.stream(values()).map(f -> f.flag).collect(Collectors.joining(" or "))
                + (value.equalsIgnoreCase("v2s1") ? " (regctl writes no Docker schema 1)" : ""));
    }

    /** How the user writes it: {@code oci}, {@code v2s2}. */
    public String flag() {
        return flag;
    }

    /** How messages name it: {@code OCI}, {@code Docker schema 2}. */
    public String label() {
        return label;
    }

    /** The media type of an image manifest of this family. */
    public String manifestType() {
        return manifestType;
    }

    /** The media type of an index of this family. */
    public String indexType() {
        return indexType;
    }
}
