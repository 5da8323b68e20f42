package dev.regctl.store.ocidir;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;

/**
 * What a reference names in a layout: a manifest's digest, and the index.json entry that led to
 * it if any.
 *
 * @param reference the tag or digest as given, for messages
 * @param byTag whether it was found through a tag, whose entry may outlive its blob
 * @param entry null when no entry was consulted or none lists the manifest
 */
record Target(String reference, boolean byTag, Digest digest, Descriptor entry) {

    /** A manifest named by its digest, with the entry listing it if there is one. */
    static Target byDigest(Digest digest, Descriptor entry) {
        return new Target(digest.toString(), false, digest, entry);
    }
}
