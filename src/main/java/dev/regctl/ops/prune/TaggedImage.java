package dev.regctl.ops.prune;

import dev.regctl.oci.Digest;
import java.time.Instant;
import java.util.List;

/**
 * One tag as retention sees it: the manifest it points to, when that image was made, and for an
 * index the manifests it holds, which are in use as long as the index is.
 *
 * @param created  the image's creation time, or null when unknown (or not looked up)
 * @param children for an index, the digests of the manifests it holds, those of indexes it lists included;
 *                 otherwise empty
 */
record TaggedImage(String tag, Digest digest, Instant created, List<Digest> children) {
    public TaggedImage {
        children = children == null ? List.of() : List.copyOf(children);
    }
}
