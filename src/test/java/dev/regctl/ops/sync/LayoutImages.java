package dev.regctl.ops.sync;

import static dev.regctl.testing.ImageParts.blob;
import static dev.regctl.testing.ImageParts.json;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.nio.charset.StandardCharsets;

/** Small images written into a store, built in code: distinct content per seed. */
public final class LayoutImages {
    private LayoutImages() {
    }

    /** A one-layer image for {@code os/arch}, tagged {@code tag} unless null. */
    public static RawManifest image(ImageStore store, String tag, String platform, String seed) {
        String[] p = platform.split("/");
        Descriptor config = blob(store, MediaTypes.OCI_CONFIG,
                "{\"os\":\"" + p[0] + "\",\"architecture\":\"" + p[1] + "\",\"seed\":\"" + seed + "\"}");
        Descriptor layer = blob(store, MediaTypes.OCI_LAYER_GZIP, "layer of " + seed + " " + platform);
        RawManifest m = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(config) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8),
                MediaTypes.OCI_MANIFEST);
        store.putManifest(m, tag);
        return m;
    }

    /** An index of one image per platform, tagged {@code tag}. */
    public static RawManifest index(ImageStore store, String tag, String seed, String... platforms) {
        StringBuilder children = new StringBuilder();
        for (String platform : platforms) {
            RawManifest child = image(store, null, platform, seed);
            String[] p = platform.split("/");
            children.append(children.isEmpty() ? "" : ",").append("{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST)
                    .append("\",\"digest\":\"").append(child.digest()).append("\",\"size\":").append(child.bytes().length)
                    .append(",\"platform\":{\"os\":\"").append(p[0]).append("\",\"architecture\":\"").append(p[1]).append("\"}}");
        }
        RawManifest index = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + children + "]}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
        store.putManifest(index, tag);
        return index;
    }
}
