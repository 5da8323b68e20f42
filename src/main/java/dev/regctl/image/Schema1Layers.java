package dev.regctl.image;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers of a Docker schema 1 manifest as descriptors. Schema 1 names layers by digest alone,
 * so the store that holds them is asked for their sizes, once per distinct layer.
 */
public final class Schema1Layers {
    private Schema1Layers() {
    }

    /** Base layer first, repeats kept (schema 1 lists the empty layer once per metadata-only step). */
    public static List<Descriptor> of(ImageStore store, RawManifest raw) {
        Map<Digest, Long> sizes = new HashMap<>();
        return raw.schema1().layers().stream()
                .map(d -> new Descriptor(MediaTypes.DOCKER_SCHEMA1_LAYER, d, sizes.computeIfAbsent(d, store::blobSize)))
                .toList();
    }
}
