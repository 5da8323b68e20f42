package dev.regctl.oci;

import dev.regctl.RegctlException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * An image in an OCI image layout directory, written {@code oci:PATH[:TAG]} or
 * {@code ocidir://PATH[:TAG]} (the same meaning).
 *
 * @param path the layout directory, as given (not resolved against the working directory)
 * @param tag  the tag, or null when none was given
 */
public record LayoutReference(Path path, String tag) implements ImageRef {

    private static final String OCI = "oci:";
    private static final String OCIDIR = "ocidir://";

    /** Validates the tag; the path is not checked for existence, which is the store's business. */
    public LayoutReference {
        if (path == null || path.toString().isEmpty()) {
            throw new RegctlException(RegctlException.Kind.USAGE,
                    "invalid OCI layout reference: missing directory; expected oci:PATH[:TAG]");
        }
        if (tag != null) {
            String problem = DockerGrammar.tagProblem(tag);
            if (problem != null) {
                throw new RegctlException(RegctlException.Kind.USAGE, "invalid OCI layout reference: " + problem);
            }
        }
    }

    /** True when {@code s} names an OCI layout rather than a registry image. */
    public static boolean isLayout(String s) {
        return s != null && (s.startsWith(OCI) || s.startsWith(OCIDIR));
    }

    /**
     * Parses {@code oci:PATH[:TAG]} or {@code ocidir://PATH[:TAG]}. Text after the last ":" is a
     * tag only when it is a valid tag and leaves a non-empty path; otherwise it is part of the path.
     */
    public static LayoutReference parse(String input) {
        if (!isLayout(input)) {
            throw invalid(input, "expected oci:PATH[:TAG] or ocidir://PATH[:TAG]");
        }
        String rest = input.substring(input.startsWith(OCIDIR) ? OCIDIR.length() : OCI.length());
        if (rest.isEmpty()) {
            throw invalid(input, "missing directory; expected oci:PATH[:TAG]");
        }
        // Spaces are fine in directory names; control characters are a pasting accident.
        int control = DockerGrammar.firstControl(rest);
        if (control >= 0) {
            throw invalid(input, "contains a control character at position "
                    + (input.length() - rest.length() + control + 1) + "; remove it");
        }
        String path = rest;
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > 0 && DockerGrammar.tagProblem(rest.substring(colon + 1)) == null) {
            path = rest.substring(0, colon);
            tag = rest.substring(colon + 1);
        }
        try {
            return new LayoutReference(Path.of(path), tag);
        } catch (InvalidPathException e) {
            throw invalid(input, "invalid directory " + DockerGrammar.quote(path) + ": " + e.getReason());
        }
    }

    /** The canonical written form, {@code oci:PATH[:TAG]}. */
    @Override
    public String toString() {
        return OCI + path + (tag == null ? "" : ":" + tag);
    }

    private static RegctlException invalid(String input, String problem) {
        return new RegctlException(RegctlException.Kind.USAGE,
                "invalid OCI layout reference " + DockerGrammar.quote(input == null ? "" : input) + ": " + problem);
    }
}
