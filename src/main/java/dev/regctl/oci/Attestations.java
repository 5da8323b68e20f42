package dev.regctl.oci;

/**
 * BuildKit's attestation entries in an index (provenance, SBOM): listed beside the images with
 * platform {@code unknown/unknown} and {@code vnd.docker.reference.type: attestation-manifest},
 * they describe an image and are not one anybody would pick.
 */
public final class Attestations {

    /** The annotation BuildKit marks an attestation entry with. */
    public static final String REFERENCE_TYPE = "vnd.docker.reference.type";

    /** The annotation naming the digest of the image an attestation entry describes. */
    public static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";

    private Attestations() {
    }

    /** True when an index entry is an attestation rather than an image. */
    public static boolean isAttestation(Descriptor entry) {
        boolean marked = entry.annotations() != null
                && "attestation-manifest".equals(entry.annotations().get(REFERENCE_TYPE));
        return marked || (entry.platform() != null && "unknown".equals(entry.platform().os()));
    }
}
