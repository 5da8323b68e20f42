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
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One image of a docker archive's {@code manifest.json} ({@code Config}, {@code RepoTags},
 * {@code Layers}), with the docker schema 2 manifest built for it: a docker archive stores no
 * manifest, so one is made, its config and layers described as stored. A layer's digest is the
 * one its path names ({@code blobs/sha256/<hex>}, docker 25 and later), else, for an
 * uncompressed layer tar, its diff ID from the config (they are the same bytes), else the hash
 * of the file. Reading the blob checks it either way.
 *
 * @param repoTags  the image's names, in docker's short form
 * @param manifest  the manifest built for it
 * @param blobs     the archive member holding each blob the manifest names
 */
record DockerArchiveImage(List<String> repoTags, RawManifest manifest, Map<Digest, TarEntry> blobs) {

    static final String UNCOMPRESSED_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    static final String ZSTD_LAYER = "application/vnd.oci.image.layer.v1.tar+zstd";
    private static final Pattern BLOB_PATH = Pattern.compile("blobs/(sha256|sha512)/([a-f0-9]+)");

    /**
     * Reads one {@code manifest.json} entry and builds its manifest.
     *
     * @param digests the digests of the archive's members, shared by every image of the archive
     */
    static DockerArchiveImage read(ArchiveFile archive, JsonNode entry, int number, MemberDigests digests)
            throws IOException {
        String where = "manifest.json entry " + number;
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
        TarEntry config = archive.file(text(entry.path("Config"), where + ": Config"), "config");
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
        JsonNode layers = entry.path("Layers");
        if (!layers.isArray()) {
            throw new BadArchiveException(where + ": Layers is not a list");
        }
        Map<Digest, TarEntry> blobs = new LinkedHashMap<>();
        blobs.put(configDigest, config);
        ObjectNode manifest = Json.mapper().createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        manifest.set("config", descriptor(MediaTypes.DOCKER_CONFIG, configDigest, config.size()));
        ArrayNode layerList = manifest.putArray("layers");
        for (int i = 0; i < layers.size(); i++) {
            TarEntry layer = archive.file(text(layers.get(i), where + ": Layers[" + i + "]"), "layer");
            String mediaType = layerType(archive.head(layer, 4));
            Digest digest = pathDigest(layer.name());
            if (digest == null && mediaType.equals(UNCOMPRESSED_LAYER) && diffIds != null && diffIds.path(i).isTextual()) {
                digest = parseDigest(diffIds.get(i).textValue(), "config \"" + config.name() + "\" diff_ids[" + i + "]");
            }
            if (digest == null) {
                digest = digests.of(layer);
            }
            blobs.putIfAbsent(digest, layer);
            layerList.add(descriptor(mediaType, digest, layer.size()));
        }
        byte[] bytes = Json.mapper().writeValueAsBytes(manifest);
        return new DockerArchiveImage(List.copyOf(repoTags), RawManifest.of(bytes, MediaTypes.DOCKER_MANIFEST), blobs);
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

    /** Layers are stored as docker save left them: plain tar, or compressed by whoever wrote it. */
    private static String layerType(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return MediaTypes.DOCKER_LAYER_GZIP;
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD_LAYER;
        }
        return UNCOMPRESSED_LAYER;
    }
}
