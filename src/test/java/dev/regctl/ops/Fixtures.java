package dev.regctl.ops;

import static dev.regctl.testing.ImageParts.blob;
import static dev.regctl.testing.ImageParts.json;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Small images written straight into a store, for the operations' tests. */
public final class Fixtures {
    private Fixtures() {
    }

    /** Stores an image whose config says {@code created} (omitted when null) and tags it; {@code seed} makes it unique. */
    public static RawManifest image(ImageStore store, String tag, String created, String seed) {
        String config = "{" + (created == null ? "" : "\"created\":\"" + created + "\",")
                + "\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                + "\"config\":{\"Labels\":{\"seed\":\"" + seed + "\"}}}";
        Descriptor configDescriptor = blob(store, MediaTypes.OCI_CONFIG, config);
        RawManifest manifest = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(configDescriptor, null) + ",\"layers\":[]}").getBytes(StandardCharsets.UTF_8), null);
        store.putManifest(manifest, tag);
        return manifest;
    }

    /** Stores an index of already stored images (one platform each, amd64, arm64, ...) and tags it. */
    public static RawManifest index(ImageStore store, String tag, RawManifest... images) {
        String[] arches = {"amd64", "arm64", "s390x", "ppc64le"};
        String entries = Arrays.stream(images)
                .map(i -> json(i.descriptor(), arches[Arrays.asList(images).indexOf(i)]))
                .collect(Collectors.joining(","));
        RawManifest index = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + entries + "]}").getBytes(StandardCharsets.UTF_8), null);
        store.putManifest(index, tag);
        return index;
    }
}
