package dev.regctl.oci;

/**
 * Where an image lives as the user named it: a registry {@link Reference} or an OCI layout
 * directory {@link LayoutReference}. Commands that accept either parse with {@link #parse}.
 */
public sealed interface ImageRef permits Reference, LayoutReference {

    /**
     * Parses {@code oci:PATH[:TAG]} and {@code ocidir://PATH[:TAG]} as layouts and anything else,
     * {@code docker://} included, as a registry reference.
     */
    static ImageRef parse(String s) {
        return LayoutReference.isLayout(s) ? LayoutReference.parse(s) : Reference.parse(s);
    }
}
