package dev.regctl.oci;

import java.util.List;

/** The manifest and config media types regctl understands. */
public final class MediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /**
     * The artifact manifest of the OCI 1.1 release candidates (2022-23), which ORAS 1.0 and
     * notation's release candidates wrote: {@code artifactType}, {@code blobs}, {@code subject},
     * {@code annotations}, and no {@code schemaVersion}. OCI 1.1 dropped it for image manifests
     * with an {@code artifactType}, but registries and layouts still hold such manifests.
     */
    public static final String OCI_ARTIFACT_MANIFEST = "application/vnd.oci.artifact.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    /** OCI 1.1's empty descriptor type: the content {@code {}}, an artifact's config when it has none. */
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /** Docker image manifest schema 1 without signatures: hashed as served. */
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    /** Signed schema 1: its digest is that of the JWS payload, not of the signed body. */
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    /** What distribution calls a layer a schema 1 manifest lists (which records no size or type of its own). */
    public static final String DOCKER_SCHEMA1_LAYER = "application/vnd.docker.container.image.rootfs.diff+x-gtar";

    /**
     * Every manifest type we accept, in the order sent in {@code Accept}. Schema 1 comes last:
     * old registries still serve it, but a registry that can convert should send anything else.
     */
    public static final List<String> MANIFESTS = List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST,
            OCI_ARTIFACT_MANIFEST, DOCKER_SCHEMA1_SIGNED, DOCKER_SCHEMA1);

    private MediaTypes() {
    }

    /** True for an OCI index or a Docker manifest list. */
    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    /** True for a single-image manifest, OCI or Docker. */
    public static boolean isImageManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    /** True for an OCI 1.1-rc artifact manifest ({@link #OCI_ARTIFACT_MANIFEST}). */
    public static boolean isArtifactManifest(String mediaType) {
        return OCI_ARTIFACT_MANIFEST.equals(mediaType);
    }

    /** True for a Docker schema 1 manifest, signed or not. */
    public static boolean isSchema1(String mediaType) {
        return DOCKER_SCHEMA1_SIGNED.equals(mediaType) || DOCKER_SCHEMA1.equals(mediaType);
    }

    /**
     * True for a layer that lives at its {@code urls}, not beside the image: docker's foreign
     * layers (Windows base images) and OCI's non-distributable ones.
     */
    public static boolean isNonDistributable(String mediaType) {
        return mediaType != null && (mediaType.contains(".foreign.") || mediaType.contains("nondistributable"));
    }

    /** True for a layer encrypted with ocicrypt: its type ends in {@code +encrypted}. */
    public static boolean isEncrypted(String mediaType) {
        return mediaType != null && mediaType.endsWith("+encrypted");
    }
}
