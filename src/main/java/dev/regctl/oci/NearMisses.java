package dev.regctl.oci;

import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text close to a name regctl reads but not one: a URL, or an image named in another tool's
 * transport (skopeo's and podman's {@code containers-storage:}, {@code docker-daemon:},
 * {@code dir:}...). Recognised only so that the message says, in the user's words, what it is and
 * what to write instead; each check returns null when the text is none of these.
 */
final class NearMisses {

    /** What a rejected name is followed by in a message, and the line under it. */
    record Problem(String text, String hint) {
    }

    private static final Pattern URL_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(.*)", Pattern.DOTALL);

    /** What a reference may be, for messages. */
    static final String REFERENCE_FORMS = "[docker://]HOST[:PORT]/NAME[:TAG], oci:DIR, oci-archive:FILE"
            + " or docker-archive:FILE";

    /**
     * Transports of skopeo and podman that hold no registry, layout or archive: what each is, and
     * how to turn its image into something regctl reads ({@code %s} is the image as named there).
     */
    private static final Map<String, Transport> OTHER_TRANSPORTS = Map.of(
            "containers-storage", new Transport("the local image store of podman and buildah",
                    "podman save -o image.tar %s, then use docker-archive:image.tar"),
            "docker-daemon", new Transport("the images of a docker engine",
                    "docker save -o image.tar %s, then use docker-archive:image.tar"),
            "dir", new Transport("skopeo's directory of loose files",
                    "skopeo copy dir:%s oci:layout, then use oci:layout"),
            "ostree", new Transport("an OSTree repository", "skopeo copy ostree:%s oci:layout, then use oci:layout"),
            "sif", new Transport("a Singularity image file", "skopeo copy sif:%s oci:layout, then use oci:layout"),
            "tarball", new Transport("a tarball of a file system",
                    "skopeo copy tarball:%s oci:layout, then use oci:layout"));

    private record Transport(String holds, String export) {
    }

    private NearMisses() {
    }

    /**
     * The problem with {@code input} when it starts with a URL scheme ({@code https://}), or null;
     * null too for text with a blank or control character, whose own message comes first.
     *
     * @param what    what was expected, for the message: "a reference", "a registry name"
     * @param forms   its forms, for the message about a scheme that is not HTTP's
     * @param instead what to write, made from what follows the scheme
     */
    static Problem urlScheme(String input, String what, String forms, UnaryOperator<String> instead) {
        Matcher m = URL_SCHEME.matcher(input);
        if (!m.matches() || DockerGrammar.firstBlankOrControl(input) >= 0) {
            return null;
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (scheme.equals("http") || scheme.equals("https")) {
            return new Problem(what + " takes no URL scheme; write " + instead.apply(m.group(2)),
                    "regctl uses HTTPS, and plain HTTP by itself for a loopback registry that does not speak TLS;"
                            + " for another registry without TLS, add --insecure");
        }
        return new Problem("unsupported scheme " + DockerGrammar.quote(m.group(1) + "://") + "; expected " + forms, null);
    }

    /** The problem with {@code input} when it names an image in a transport of skopeo or podman, or null. */
    static Problem otherToolsTransport(String input) {
        int colon = input.indexOf(':');
        Transport transport = colon < 0 ? null : OTHER_TRANSPORTS.get(input.substring(0, colon));
        if (transport == null || DockerGrammar.firstBlankOrControl(input) >= 0) {
            return null;
        }
        String image = input.substring(colon + 1);
        return new Problem(input.substring(0, colon + 1) + " is a transport of skopeo and podman (" + transport.holds
                + "), which regctl does not read", String.format(transport.export, image.isEmpty() ? "IMAGE" : image));
    }

    /**
     * The problem with a name without "/" whose repository looks like a host and whose tag like a
     * port ({@code 127.0.0.1:5000}, {@code localhost:5000}): docker reads it as Docker Hub's
     * {@code library/127.0.0.1} with tag {@code 5000}, which no one means.
     */
    static Problem registryAlone(String path, String tag) {
        if (!DockerGrammar.looksLikeHostAlone(path) || tag == null || !tag.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        String registry = path + ":" + tag;
        return new Problem(DockerGrammar.quote(registry) + " is a registry, not an image (docker would read it as Docker"
                + " Hub's library/" + path + " with tag " + tag + "); name a repository on it: " + registry + "/REPO[:TAG]",
                null);
    }
}
