package dev.regctl.ops.index;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;

/**
 * One entry of an index being made: the descriptor, the JSON written for it, and where its
 * content comes from.
 *
 * @param json   the entry as written: an existing index's own JSON, kept as it was, or the descriptor's
 * @param source the store holding the manifest to copy, or null for an entry the target's index already had
 * @param from   how messages and {@code -o json} name where it came from
 */
record IndexEntry(Descriptor descriptor, JsonNode json, ImageRef source, String from) {

    /** A new entry, written as {@code descriptor}, whose manifest is copied from {@code source}. */
    static IndexEntry fresh(Descriptor descriptor, ImageRef source, String from) {
        return new IndexEntry(descriptor, Json.mapper().valueToTree(descriptor), source, from);
    }

    /** The platform in canonical names, or null when the entry names none. */
    Platform platform() {
        Platform p = Platform.specifiedOrNull(descriptor.platform());
        return p == null ? null : p.normalized();
    }
}
