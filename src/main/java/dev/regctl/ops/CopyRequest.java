package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.LayoutReference;
import dev.regctl.oci.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * What to copy where, as the user named it: SRC and DST, and whether every tag of SRC's
 * repository is meant.
 */
public record CopyRequest(ImageRef source, ImageRef destination, boolean allTags) {

    /**
     * Parses SRC and DST. With {@code allTags} both must name a repository (or layout) without a
     * tag or digest, which only the text can tell: a registry reference without a tag reads as
     * {@code :latest}.
     */
    public static CopyRequest parse(String source, String destination, boolean allTags) {
        ImageRef src = ImageRef.parse(source);
        ImageRef dst = ImageRef.parse(destination);
        if (allTags && namesAnImage(source, src)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--all-tags copies every tag of a repository: give SRC "
                    + "without a tag or digest, not \"" + source + "\"");
        }
        if (allTags && namesAnImage(destination, dst)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--all-tags keeps each tag's name: give DST without a"
                    + " tag or digest, not \"" + destination + "\"");
        }
        return new CopyRequest(src, dst, allTags);
    }

    /** The registries this request talks to, for the transport's TLS set-up. */
    public List<String> apiHosts() {
        List<String> hosts = new ArrayList<>();
        for (ImageRef ref : List.of(source, destination)) {
            if (ref instanceof Reference r && !hosts.contains(r.apiHost())) {
                hosts.add(r.apiHost());
            }
        }
        return hosts;
    }

    private static boolean namesAnImage(String text, ImageRef ref) {
        if (ref instanceof LayoutReference layout) {
            return layout.tag() != null;
        }
        Reference reference = (Reference) ref;
        if (reference.digest() != null) {
            return true;
        }
        String name = text.startsWith("docker://") ? text.substring("docker://".length()) : text;
        return name.substring(name.lastIndexOf('/') + 1).contains(":");
    }
}
