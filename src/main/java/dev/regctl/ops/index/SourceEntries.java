package dev.regctl.ops.index;

import dev.regctl.RegctlException;
import dev.regctl.image.ImageLookup;
import dev.regctl.image.PlatformSelection;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.util.List;

/**
 * The index entries one source gives: an image is one entry, its manifest digest unchanged and its
 * platform read from its config; an index gives its entries as listed, all or those {@code --platform} picks.
 */
final class SourceEntries {

    private SourceEntries() {
    }

    static List<IndexEntry> of(ImageStore store, ImageRef ref, List<Platform> platforms) {
        String name = ref.toString();
        RawManifest top = store.fetchManifest(ImageLookup.reference(ref, store));
        if (top.isIndex()) {
            List<Descriptor> picked = platforms.isEmpty() ? top.index().manifests()
                    : PlatformSelection.entries(top, platforms, name);
            return picked.stream().map(d -> IndexEntry.fresh(d, ref, name)).toList();
        }
        if (top.isSchema1()) {
            throw new RegctlException(RegctlException.Kind.USAGE, name + " is a Docker schema 1 manifest, which no index can list",
                    "convert it first: regctl copy --format v2s2", null);
        }
        Platform platform = PlatformSelection.platformOf(top, store);
        if (platform == null) {
            throw new RegctlException(RegctlException.Kind.USAGE, name + " names no platform in its config, which an index entry needs",
                    "give an image whose config names os and architecture", null);
        }
        Descriptor d = top.descriptor();
        return List.of(IndexEntry.fresh(new Descriptor(d.mediaType(), d.digest(), d.size(), platform, null, null, null), ref, name));
    }
}
