package dev.regctl.ops.index;

import dev.regctl.oci.ImageRef;
import dev.regctl.oci.RawManifest;
import java.util.List;

/**
 * An index to push, built as a value before anything is sent.
 *
 * @param target  where it goes, as the user named it
 * @param tag     the tag it is pushed under
 * @param index   the index bytes, digest included
 * @param entries every entry of the index; those with a source have content to copy first
 */
public record IndexPlan(ImageRef target, String tag, RawManifest index, List<IndexEntry> entries) {
    public IndexPlan {
        entries = List.copyOf(entries);
    }
}
