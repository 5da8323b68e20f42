package dev.regctl.store.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.BadArchiveException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One image of a docker archive's {@code manifest.json} ({@code Config}, {@code RepoTags},
 * {@code Layers}), with the manifest built for it: a docker archive stores no manifest, so one is
 * made, its config and layers described as stored. It is a docker schema 2 manifest, as docker
 * and skopeo push such an image, unless a layer has no docker media type (zstd): docker's
 * format has none for it, so then it is an OCI manifest, with OCI types throughout. A layer's
 * digest is the one its path names ({@code blobs/sha256/<hex>}, docker 25 and later), else, for
 * an uncompressed layer tar, its diff ID from the config (they are the same bytes), else the
 * hash of the file. Reading the blob checks it either way.
 *
 * @param repoTags  the image's names, in docker's short form
 * @param manifest  the manifest built for it
 * @param blobs     the archive member holding each blob the manifest names
 */
record DockerArchiveImage(List<String> repoTags, RawManifest manifest, Map<Digest, TarEntry> blobs) {

    private static final Pattern BLOB_PATH = Pattern.compile("blobs/(sha256|sha512)/([a-f0-9]+)");

    /** How a layer is stored, told by its first bytes, and what each manifest format calls it. */
    enum LayerType {
        TAR("application/vnd.docker.image.rootfs.diff.tar", "application/vnd.oci.image.layer.v1.tar"),
        GZIP(MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.OCI_LAYER_GZIP),
        ZSTD(null, "application/vnd.oci.image.layer.v1.tar+zstd");

        private final String docker;
        private final String oci;

        LayerType(String docker, String oci) {
            this.docker = docker;
            this.oci = oci;
        }

        /** Layers are stored as docker save left them: plain tar, or compressed by whoever wrote it. */
        static LayerType of(byte[] head) {
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return GZIP;
            }
            if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                    && (head[3] & 0xff) == 0xfd) {
                return ZSTD;
            }
            return TAR;
        }
    }

    private record Layer(LayerType type, Digest digest, long size) {
    }

    /**
     * The names one {@code manifest.json} entry gives its image.
     *
     * @param where the entry, for messages
     * @throws BadArchiveException when the entry is no object or its names are not docker references
     */
    static List<String> repoTags(JsonNode entry, String where) throws BadArchiveException {
        if (!entry.isObject()) {
            throw new BadArchiveException(where + " is not a JSON object");
        }
        List<String> repoTags = new ArrayList<>();
        JsonNode tags = entry.path("RepoTags");
        if (!tags.isMissingNode() && !tags.isNull()) {
            if (!tags.isArray()) {
                throw new BadArchiveException(where + ": RepoTags is not a list");
            }
            for (JsonNode tag : tags) {
                repoTags.add(repoTag(tag, where));
            }
        }
        return List.copyOf(repoTags);
    }

    /**
     * Reads one {@code manifest.json} entry, whose names {@link #repoTags} gave, and builds its manifest.
     *
     * @param where   the entry, for messages
     * @param digests the digests of the archive's members, shared by every image of the archive
     * @throws BadArchiveException when a member it names is missing, refused or not what it should be
     */
    static DockerArchiveImage read(ArchiveFile archive, JsonNode entry, List<String> repoTags, String where,
                                   MemberDigests digests) throws IOException {
        TarEntry config = archive.fileThroughLinks(text(entry.path("Config"), where + ": Config"), "config");
        byte[] configBytes = archive.readAll(config, RawManifest.MAX_SIZE, "config");
        Digest configDigest = pathDigest(config.name());
        if (configDigest == null) {
            configDigest = Digest.sha256(configBytes);
        } else if (!configDigest.isDigestOf(configBytes)) {
            throw new BadArchiveException("config \"" + config.name() + "\" does not match the digest its name gives");
        }
        JsonNode configJson;
        try {
            configJson = Json.readTree(configBytes);
        } catch (IOException e) {
            throw new BadArchiveException("config \"" + config.name() + "\" is not JSON");
        }
        JsonNode diffIds = configJson == null ? null : configJson.path("rootfs").path("diff_ids");
        JsonNode layerNames = entry.path("Layers");
        if (!layerNames.isArray()) {
            throw new BadArchiveException(where + ": Layers is not a list");
        }
        Map<Digest, TarEntry> blobs = new LinkedHashMap<>();
        blobs.put(configDigest, config);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerNames.size(); i++) {
            TarEntry layer = archive.fileThroughLinks(text(layerNames.get(i), where + ": Layers[" + i + "]"), "layer");
            LayerType type = LayerType.of(archive.head(layer, 4));
            Digest digest = pathDigest(layer.name());
            if (digest == null && type == LayerType.TAR && diffIds != null && diffIds.path(i).isTextual()) {
                digest = parseDigest(diffIds.get(i).textValue(), "config \"" + config.name() + "\" diff_ids[" + i + "]");
            }
            if (digest == null) {
                digest = digests.of(layer);
            }
            blobs.putIfAbsent(digest, layer);
            layers.add(new Layer(type, digest, layer.size()));
        }
        boolean docker = layers.stream().allMatch(l -> l.type().docker != null);
        String mediaType = docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
        ObjectNode manifest = Json.mapper().createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", mediaType);
        manifest.set("config", descriptor(docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG, configDigest,
                config.size()));
        ArrayNode layerList = manifest.putArray("layers");
        for (Layer layer : layers) {
            layerList.add(descriptor(docker ? layer.type().docker : layer.type().oci, layer.digest(), layer.size()));
        }
        byte[] bytes = Json.mapper().writeValueAsBytes(manifest);
        return new DockerArchiveImage(repoTags, RawManifest.of(bytes, mediaType), blobs);
    }

    /** What the image is called when it must be named: its first name, else its manifest's digest. */
    String name() {
        return repoTags.isEmpty() ? manifest.digest().toString() : repoTags.get(0);
    }

    private static String repoTag(JsonNode tag, String where) throws BadArchiveException {
        if (!tag.isTextual()) {
            throw new BadArchiveException(where + ": a RepoTags value is not a string");
        }
        try {
            return ArchiveReference.dockerName(tag.textValue());
        } catch (RegctlException e) {
            throw new BadArchiveException(where + ": RepoTags value is no docker reference: "
                    + e.getMessage().replaceFirst("^invalid [^:]*: ", ""));
        }
    }

    private static String text(JsonNode node, String what) throws BadArchiveException {
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw new BadArchiveException(what + " is not a file name");
        }
        return node.textValue();
    }

    private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        return Json.mapper().valueToTree(new Descriptor(mediaType, digest, size));
    }

    /** The digest a {@code blobs/<alg>/<hex>} path names, or null for any other path. */
    private static Digest pathDigest(String name) throws BadArchiveException {
        Matcher m = BLOB_PATH.matcher(name);
        return m.matches() ? parseDigest(m.group(1) + ":" + m.group(2), "\"" + name + "\"") : null;
    }

    private static Digest parseDigest(String text, String what) throws BadArchiveException {
        try {
            return Digest.parse(text);
        } catch (RegctlException e) {
            throw new BadArchiveException(what + " is not a valid digest: " + e.getMessage());
        }
    }
}
