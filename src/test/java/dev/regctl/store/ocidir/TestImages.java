package dev.regctl.store.ocidir;

import static dev.regctl.testing.ImageParts.json;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import dev.regctl.testing.ImageParts.Blob;
import dev.regctl.testing.ImageParts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Images built in code for the layout tests: real enough for skopeo to copy and inspect. */
final class TestImages {

    private TestImages() {
    }

    /** An image: manifest, config and layers, the parts a copy moves. */
    record Image(RawManifest manifest, Blob config, Blob... layers) {
    }

    /** An image for one platform whose single layer holds {@code fileContent}. */
    static Image image(String architecture, byte[] fileContent) {
        Blob layer = ImageParts.layer("data.bin", fileContent);
        String diffId = Digest.sha256(ImageParts.tar("data.bin", fileContent)).toString();
        String config = "{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
        Blob configBlob = Blob.of(MediaTypes.OCI_CONFIG, config.getBytes(StandardCharsets.UTF_8));
        return new Image(manifest(configBlob, layer), configBlob, layer);
    }

    /** Stores the image's blobs, then its manifest under {@code tag} (untagged when null). */
    static void put(ImageStore store, Image image, String tag) {
        image.config().putInto(store);
        for (Blob layer : image.layers()) {
            layer.putInto(store);
        }
        store.putManifest(image.manifest(), tag);
    }

    static RawManifest manifest(Blob config, Blob... layers) {
        String text = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":" + json(config.descriptor()) + ","
                + "\"layers\":[" + Arrays.stream(layers).map(l -> json(l.descriptor()))
                .collect(Collectors.joining(",")) + "]}";
        return RawManifest.of(text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** An OCI index of the given images, each entry carrying its platform. */
    static RawManifest index(Image... images) {
        String text = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + Arrays.stream(images).map(i -> json(i.manifest().descriptor(), architecture(i)))
                .collect(Collectors.joining(",")) + "]}";
        return RawManifest.of(text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** An artifact attached to {@code subject}, as a signature is; its empty config is not stored. */
    static RawManifest referrer(Descriptor subject) {
        String text = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.signature\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
                + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
                + "\"layers\":[],\"subject\":" + json(subject) + "}";
        return RawManifest.of(text.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String architecture(Image image) {
        String config = new String(image.config().bytes(), StandardCharsets.UTF_8);
        int start = config.indexOf("\"architecture\":\"") + "\"architecture\":\"".length();
        return config.substring(start, config.indexOf('"', start));
    }
}
