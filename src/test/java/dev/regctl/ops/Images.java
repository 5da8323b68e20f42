package dev.regctl.ops;

import static dev.regctl.testing.ImageParts.blob;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds small images, indexes and referrers straight into any {@link ImageStore}. */
public final class Images {
    public static final ObjectMapper JSON = new ObjectMapper();
    static final String EMPTY = "application/vnd.oci.empty.v1+json";

    /** An image manifest pushed to a store, with its platform and every blob it references (config first). */
    public record Image(RawManifest manifest, String platform, List<Descriptor> blobs) {
        public Digest digest() {
            return manifest.digest();
        }
    }

    private Images() {
    }

    /** An OCI image for {@code platform} whose layers are the given bytes; tagged when {@code tag} is not null. */
    public static Image image(ImageStore store, String tag, String platform, byte[]... layers) {
        ObjectNode config = platformFields(JSON.createObjectNode(), platform);
        config.putObject("rootfs").put("type", "layers");
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(blob(store, MediaTypes.OCI_CONFIG, write(config)));
        for (byte[] layer : layers) {
            blobs.add(blob(store, MediaTypes.OCI_LAYER_GZIP, layer));
        }
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptor(blobs.get(0)));
        ArrayNode layerNodes = manifest.putArray("layers");
        blobs.subList(1, blobs.size()).forEach(d -> layerNodes.add(descriptor(d)));
        RawManifest raw = RawManifest.of(write(manifest), MediaTypes.OCI_MANIFEST);
        store.putManifest(raw, tag);
        return new Image(raw, platform, List.copyOf(blobs));
    }

    /** An index (OCI or Docker list, by {@code mediaType}) of the images, with an annotation to keep. */
    public static RawManifest index(ImageStore store, String tag, String mediaType, Image... images) {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", mediaType);
        ArrayNode manifests = index.putArray("manifests");
        for (Image image : images) {
            ObjectNode entry = descriptor(image.manifest().descriptor());
            platformFields(entry.putObject("platform"), image.platform());
            manifests.add(entry);
        }
        index.putObject("annotations").put("org.example.kept", "yes");
        RawManifest raw = RawManifest.of(write(index), mediaType);
        store.putManifest(raw, tag);
        return raw;
    }

    /** An artifact manifest whose subject is {@code subject} (none when null), with one small layer; pushed untagged unless tagged. */
    public static RawManifest referrer(ImageStore store, Descriptor subject, String artifactType, String content, String tag) {
        return referrer(store, subject, artifactType, content, tag, java.util.Map.of());
    }

    /** As {@link #referrer(ImageStore, Descriptor, String, String, String)}, with manifest annotations. */
    public static RawManifest referrer(ImageStore store, Descriptor subject, String artifactType, String content, String tag,
                                java.util.Map<String, String> annotations) {
        Descriptor empty = blob(store, EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        Descriptor layer = blob(store, "application/vnd.example.data", content.getBytes(StandardCharsets.UTF_8));
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("artifactType", artifactType);
        manifest.set("config", descriptor(empty));
        manifest.putArray("layers").add(descriptor(layer));
        if (subject != null) {
            manifest.set("subject", descriptor(subject));
        }
        if (!annotations.isEmpty()) {
            annotations.forEach(manifest.putObject("annotations")::put);
        }
        RawManifest raw = RawManifest.of(write(manifest), MediaTypes.OCI_MANIFEST);
        store.putManifest(raw, tag);
        return raw;
    }

    /**
     * An OCI 1.1-rc artifact manifest as ORAS 1.0 wrote it ({@code oras attach}): no
     * {@code schemaVersion} and no config, one titled blob, a subject and a creation time.
     */
    public static RawManifest artifactManifest(ImageStore store, Descriptor subject, String artifactType, String content,
                                               String tag) {
        Descriptor file = blob(store, "application/vnd.example.file", content.getBytes(StandardCharsets.UTF_8));
        ObjectNode manifest = JSON.createObjectNode().put("mediaType", MediaTypes.OCI_ARTIFACT_MANIFEST)
                .put("artifactType", artifactType);
        ObjectNode blobNode = descriptor(file);
        blobNode.putObject("annotations").put("org.opencontainers.image.title", "sbom.spdx.json");
        manifest.putArray("blobs").add(blobNode);
        if (subject != null) {
            manifest.set("subject", descriptor(subject));
        }
        manifest.putObject("annotations").put("org.opencontainers.image.created", "2023-03-01T10:00:00Z");
        RawManifest raw = RawManifest.of(write(manifest), MediaTypes.OCI_ARTIFACT_MANIFEST);
        store.putManifest(raw, tag);
        return raw;
    }

    /**
     * What cosign pushes for {@code subject} under its tag {@code sha256-<hex>.sig}, {@code .att}
     * or {@code .sbom} ({@code suffix}): an image manifest without {@code subject}, over an image
     * config that names no platform, whose one layer is the signature, the DSSE envelope or the SBOM.
     */
    public static RawManifest cosign(ImageStore store, Digest subject, String suffix, String content) {
        String layerType = switch (suffix) {
            case ".sig" -> "application/vnd.dev.cosign.simplesigning.v1+json";
            case ".att" -> "application/vnd.dsse.envelope.v1+json";
            case ".sbom" -> "text/spdx+json";
            default -> throw new IllegalArgumentException(suffix);
        };
        Descriptor layer = blob(store, layerType, content.getBytes(StandardCharsets.UTF_8));
        ObjectNode config = JSON.createObjectNode().put("architecture", "").put("os", "")
                .put("created", "0001-01-01T00:00:00Z");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layer.digest().toString());
        config.putObject("config");
        Descriptor configBlob = blob(store, MediaTypes.OCI_CONFIG, write(config));
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptor(configBlob));
        ObjectNode layerNode = descriptor(layer);
        if (suffix.equals(".sig")) {
            layerNode.putObject("annotations").put("dev.cosignproject.cosign/signature", "MEUCIQD" + content.hashCode());
        }
        manifest.putArray("layers").add(layerNode);
        RawManifest raw = RawManifest.of(write(manifest), MediaTypes.OCI_MANIFEST);
        store.putManifest(raw, dev.regctl.oci.ReferrerTags.fallback(subject) + suffix);
        return raw;
    }

    /**
     * Tags an index listing {@code entries} as the referrers tag schema's index of {@code subject},
     * as a client without the referrers API writes it (each entry with its artifact type).
     */
    public static RawManifest tagSchemaIndex(ImageStore store, Digest subject, Descriptor... entries) {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Descriptor entry : entries) {
            ObjectNode node = descriptor(entry);
            if (entry.artifactType() != null) {
                node.put("artifactType", entry.artifactType());
            }
            if (entry.annotations() != null) {
                entry.annotations().forEach(node.putObject("annotations")::put);
            }
            manifests.add(node);
        }
        RawManifest raw = RawManifest.of(write(index), MediaTypes.OCI_INDEX);
        store.putManifest(raw, dev.regctl.oci.ReferrerTags.fallback(subject));
        return raw;
    }

    /** {@code os[(osversion)]/arch[/variant]} as the fields of a config or an index entry's platform. */
    private static ObjectNode platformFields(ObjectNode node, String platform) {
        Platform p = Platform.parse(platform);
        node.put("architecture", p.architecture()).put("os", p.os());
        if (p.variant() != null) {
            node.put("variant", p.variant());
        }
        if (p.osVersion() != null) {
            node.put("os.version", p.osVersion());
        }
        return node;
    }

    public static ObjectNode descriptor(Descriptor d) {
        return JSON.createObjectNode().put("mediaType", d.mediaType()).put("digest", d.digest().toString()).put("size", d.size());
    }

    public static byte[] write(Object json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
