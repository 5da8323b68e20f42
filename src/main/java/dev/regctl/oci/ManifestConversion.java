package dev.regctl.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a manifest into the other family ({@code copy --format}): the same config and layers
 * under that family's media types, every other field kept as it was. No blob changes (a config's
 * bytes, and so its digest, stay), so only the manifests' own digests do. What Docker schema 2
 * cannot hold faithfully (zstd or encrypted layers, artifacts, subjects, annotations) is refused,
 * naming each thing that blocks it, rather than dropped. A manifest already of the family asked
 * for comes back as it was, bytes and digest unchanged.
 */
public final class ManifestConversion {
    private static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
    private static final String DOCKER_FOREIGN_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    private static final String DOCKER_FOREIGN_TAR = "application/vnd.docker.image.rootfs.foreign.diff.tar";
    private static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    private static final String OCI_NONDISTRIBUTABLE_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    private static final String OCI_NONDISTRIBUTABLE_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";

    /** Each Docker layer type and the OCI type of the same content; read backwards for the other way. */
    private static final Map<String, String> DOCKER_TO_OCI = Map.of(
            MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.OCI_LAYER_GZIP,
            DOCKER_LAYER_TAR, OCI_LAYER_TAR,
            DOCKER_FOREIGN_GZIP, OCI_NONDISTRIBUTABLE_GZIP,
            DOCKER_FOREIGN_TAR, OCI_NONDISTRIBUTABLE_TAR);
    private static final Map<String, String> OCI_TO_DOCKER = inverse(DOCKER_TO_OCI);
    private static final Set<String> IMAGE_CONFIGS = Set.of(MediaTypes.OCI_CONFIG, MediaTypes.DOCKER_CONFIG);

    private ManifestConversion() {
    }

    /**
     * {@code image} as a manifest of {@code to}.
     *
     * @param what the manifest as named in messages
     * @throws RegctlException USAGE naming what {@code to} cannot hold, or for a schema 1 manifest
     */
    public static RawManifest image(RawManifest image, ManifestFormat to, String what) {
        if (image.isIndex()) {
            throw new IllegalArgumentException("manifest " + image.digest() + " is an index");
        }
        if (image.isSchema1()) {
            throw refused(what, to, List.of("it is a Docker schema 1 manifest, which has no config to point to"),
                    "convert it with skopeo copy --format v2s2 first");
        }
        if (image.isArtifactManifest()) {
            // Already OCI, and no image manifest: its blobs are no layers and it has no config to retype.
            if (to == ManifestFormat.OCI) {
                return image;
            }
            throw refused(what, to, List.of("it is an OCI 1.1-rc artifact manifest (" + image.mediaType()
                    + "), which has no config and no layers"), null);
        }
        Manifest parsed = image.manifest();
        if (to == ManifestFormat.V2S2) {
            requireDockerCanHold(parsed, what);
        }
        Map<String, String> layerTypes = to == ManifestFormat.OCI ? DOCKER_TO_OCI : OCI_TO_DOCKER;
        ObjectNode root = tree(image);
        boolean changed = !to.manifestType().equals(image.mediaType());
        if (root.get("config") instanceof ObjectNode config) {
            changed |= retype(config, configType(parsed.config().mediaType(), to));
        }
        if (root.get("layers") instanceof ArrayNode layers) {
            for (JsonNode layer : layers) {
                if (layer instanceof ObjectNode l) {
                    String type = l.path("mediaType").asText();
                    changed |= retype(l, layerTypes.getOrDefault(type, type));
                }
            }
        }
        return changed ? written(root, to.manifestType(), image) : image;
    }

    /**
     * {@code index} as an index of {@code to} listing {@code children}, its entries already
     * converted: each entry then points at its child's new digest, size and media type.
     *
     * @param children for each digest the index lists, the manifest to list instead
     * @param what     the index as named in messages
     * @throws RegctlException USAGE naming what {@code to} cannot hold
     */
    public static RawManifest index(RawManifest index, ManifestFormat to, Map<Digest, RawManifest> children, String what) {
        Index parsed = index.index();
        if (to == ManifestFormat.V2S2) {
            requireDockerCanHold(parsed, children, what);
        }
        ObjectNode root = tree(index);
        boolean changed = !to.indexType().equals(index.mediaType());
        if (root.get("manifests") instanceof ArrayNode entries) {
            for (int i = 0; i < entries.size(); i++) {
                RawManifest child = children.get(parsed.manifests().get(i).digest());
                if (child == null) {
                    throw new IllegalArgumentException("no converted child for " + parsed.manifests().get(i).digest());
                }
                ObjectNode entry = (ObjectNode) entries.get(i);
                changed |= retype(entry, child.mediaType());
                if (!child.digest().equals(parsed.manifests().get(i).digest())) {
                    entry.put("digest", child.digest().toString());
                    entry.put("size", child.size());
                    changed = true;
                }
            }
        }
        return changed ? written(root, to.indexType(), index) : index;
    }

    private static String configType(String type, ManifestFormat to) {
        if (to == ManifestFormat.OCI) {
            return MediaTypes.DOCKER_CONFIG.equals(type) ? MediaTypes.OCI_CONFIG : type;
        }
        return MediaTypes.DOCKER_CONFIG;
    }

    /** Refuses, naming every reason, an image Docker schema 2 cannot say all of. */
    private static void requireDockerCanHold(Manifest m, String what) {
        List<String> blocks = new ArrayList<>();
        notDocker(blocks, "it", m.artifactType(), m.subject(), m.annotations());
        Descriptor config = m.config();
        if (config == null || !IMAGE_CONFIGS.contains(config.mediaType())) {
            blocks.add("its config is " + (config == null ? "missing" : config.mediaType()) + ", not an image config");
        } else if (config.annotations() != null && !config.annotations().isEmpty()) {
            blocks.add("its config has annotations (" + String.join(", ", config.annotations().keySet()) + ")");
        }
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor layer = m.layers().get(i);
            String type = String.valueOf(layer.mediaType());
            String name = "layer " + (i + 1) + " (" + layer.digest() + ")";
            if (!OCI_TO_DOCKER.containsKey(type) && !DOCKER_TO_OCI.containsKey(type)) {
                blocks.add(name + " is " + type + (type.contains("zstd") ? ", zstd, which Docker schema 2 has no type for"
                        : type.contains("encrypted") ? ", encrypted, which Docker schema 2 cannot carry" : ""));
            }
            if (layer.annotations() != null && !layer.annotations().isEmpty()) {
                blocks.add(name + " has annotations (" + String.join(", ", layer.annotations().keySet()) + ")");
            }
        }
        if (!blocks.isEmpty()) {
            throw refused(what, ManifestFormat.V2S2, blocks, null);
        }
    }

    /** Refuses, naming every reason, an index a Docker manifest list cannot say all of. */
    private static void requireDockerCanHold(Index index, Map<Digest, RawManifest> children, String what) {
        List<String> blocks = new ArrayList<>();
        notDocker(blocks, "it", index.artifactType(), index.subject(), index.annotations());
        for (Descriptor entry : index.manifests()) {
            RawManifest child = children.get(entry.digest());
            String name = "its entry " + entry.digest();
            if (child != null && child.isIndex()) {
                blocks.add(name + " is an index, which a Docker manifest list cannot list");
            }
            notDocker(blocks, name, entry.artifactType(), null, entry.annotations());
        }
        if (!blocks.isEmpty()) {
            throw refused(what, ManifestFormat.V2S2, blocks, null);
        }
    }

    private static void notDocker(List<String> blocks, String name, String artifactType, Descriptor subject,
                                  Map<String, String> annotations) {
        if (artifactType != null && !artifactType.isEmpty()) {
            blocks.add(name + " has artifactType " + artifactType);
        }
        if (subject != null) {
            blocks.add(name + " has a subject (" + subject.digest() + ")");
        }
        if (annotations != null && !annotations.isEmpty()) {
            blocks.add(name + " has annotations (" + String.join(", ", annotations.keySet()) + ")");
        }
    }

    private static RegctlException refused(String what, ManifestFormat to, List<String> blocks, String hint) {
        return new RegctlException(RegctlException.Kind.USAGE, "--format " + to.flag() + ": " + what
                + " cannot be written as " + to.label() + ": " + String.join("; ", blocks) + "; nothing was copied",
                hint != null ? hint : "copy it without --format to keep it as it is, or with --format oci", null);
    }

    /** Sets a descriptor's media type; true when that changed it. */
    private static boolean retype(ObjectNode descriptor, String type) {
        if (type.equals(descriptor.path("mediaType").asText(null))) {
            return false;
        }
        descriptor.put("mediaType", type);
        return true;
    }

    /** The rewritten document: {@code schemaVersion} and {@code mediaType} first, then every other field in its order. */
    private static RawManifest written(ObjectNode root, String mediaType, RawManifest from) {
        ObjectNode out = Json.objectNode();
        out.set("schemaVersion", root.has("schemaVersion") ? root.get("schemaVersion") : out.numberNode(2));
        out.put("mediaType", mediaType);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals("schemaVersion") && !field.getKey().equals("mediaType")) {
                out.set(field.getKey(), field.getValue());
            }
        }
        try {
            return RawManifest.of(Json.mapper().writeValueAsBytes(out), mediaType);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot convert " + from.digest() + ": "
                    + e.getMessage(), null, e);
        }
    }

    private static ObjectNode tree(RawManifest manifest) {
        try {
            return (ObjectNode) Json.readTree(manifest.bytes());
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "manifest " + manifest.digest() + " is not valid JSON",
                    null, e);
        }
    }

    private static Map<String, String> inverse(Map<String, String> map) {
        Map<String, String> inverse = new HashMap<>();
        map.forEach((k, v) -> inverse.put(v, k));
        return Map.copyOf(inverse);
    }
}
