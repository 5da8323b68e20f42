package dev.regctl.oci;

import dev.regctl.RegctlException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What follows a file transport's prefix ({@code oci:}, {@code docker-archive:}...), split as
 * skopeo splits it: {@code PATH@DIGEST}, or {@code PATH[:NAME]} with PATH ending at the first
 * {@code :}, so NAME may hold colons and slashes. Nothing is checked beyond the split itself.
 */
record TransportPath(String path, String name, Digest digest) {

    private static final Pattern AT_DIGEST = Pattern.compile("(.+)@((?:sha256|sha512):[a-f0-9]+)");

    /**
     * @param rest       the text after the prefix, non-empty
     * @param offset     where {@code rest} starts in what the user typed, for positions in messages
     * @param pathWord   what PATH is called in messages ("directory", "file")
     * @param nameWord   what NAME is called ("tag", "name")
     * @param invalid    makes the failure from a problem's wording
     */
    static TransportPath split(String rest, int offset, String pathWord, String nameWord,
                               Function<String, RegctlException> invalid) {
        // Spaces are fine in file names; control characters are a pasting accident.
        int control = DockerGrammar.firstControl(rest);
        if (control >= 0) {
            throw invalid.apply("contains a control character at position " + (offset + control + 1) + "; remove it");
        }
        Matcher at = AT_DIGEST.matcher(rest);
        if (at.matches() && at.group(1).indexOf(':') < 0) {
            try {
                return new TransportPath(at.group(1), null, Digest.parse(at.group(2)));
            } catch (RegctlException e) {
                throw invalid.apply(e.getMessage());
            }
        }
        int colon = rest.indexOf(':');
        if (colon == 0) {
            throw invalid.apply("missing " + pathWord + " before \":\"");
        }
        if (colon < 0) {
            return new TransportPath(rest, null, null);
        }
        String name = rest.substring(colon + 1);
        if (name.isEmpty()) {
            throw invalid.apply("empty " + nameWord + " after \":\"; give one or drop the \":\"");
        }
        return new TransportPath(rest.substring(0, colon), name, null);
    }
}
