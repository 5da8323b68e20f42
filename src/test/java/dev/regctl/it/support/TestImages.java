package dev.regctl.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.testing.ImageParts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Builds container images in code, as OCI image layout directories, so no test depends on a
 * checked-in blob or a network pull. Content is pseudo-random from a seed: the same arguments
 * always give the same digests, different seeds give images that share nothing.
 *
 * <pre>{@code
 * LayoutImage app = TestImages.singleImage(dir, "v1", 2, 4096, "linux/amd64", 1L);
 * LayoutImage multi = TestImages.multiPlatformIndex(dir, "multi", List.of("linux/amd64", "linux/arm64/v8"));
 * TestImages.push(dir, "multi", registry, "app:multi");
 * }</pre>
 */
public final class TestImages {

    /** The media type family to write: both must work, and registries treat them differently. */
    public enum Format {
        /** OCI image manifest and OCI image index. */
        OCI(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.OCI_CONFIG, MediaTypes.OCI_LAYER_GZIP),
        /** Docker image manifest schema 2 and Docker manifest list. */
        DOCKER(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_CONFIG,
                MediaTypes.DOCKER_LAYER_GZIP);

        final String manifest;
        final String index;
        final String config;
        final String layer;

        Format(String manifest, String index, String config, String layer) {
            this.manifest = manifest;
            this.index = index;
            this.config = config;
            this.layer = layer;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_INDEX_LAYERS = 2;
    private static final int DEFAULT_INDEX_LAYER_BYTES = 1024;

    private TestImages() {
    }

    /** An OCI single-platform image; see {@link #singleImage(Path, String, int, int, String, long, Format)}. */
    public static LayoutImage singleImage(Path dir, String tag, int layers, int layerBytes, String platform, long seed) {
        return singleImage(dir, tag, layers, layerBytes, platform, seed, Format.OCI);
    }

    /**
     * Writes one image into the layout at {@code dir} (created if needed; other tags kept) and
     * lists it under {@code tag}. Each layer is a gzip'd tar holding one file of
     * {@code layerBytes} random bytes, so compressed and uncompressed sizes are both close to it.
     *
     * @param platform {@code os/arch[/variant]}, written into the image config
     */
    public static LayoutImage singleImage(Path dir, String tag, int layers, int layerBytes, String platform,
                                          long seed, Format format) {
        OciLayout layout = OciLayout.open(dir);
        Built image = writeImage(layout, layers, layerBytes, platform, seed, format);
        layout.tag(tag, image.descriptor);
        return new LayoutImage(dir, tag, format.manifest, image.digest(), image.size(), List.of(), image.blobs);
    }

    /** An OCI index of small images (two 1 KiB layers each), one per platform, seeded from the tag. */
    public static LayoutImage multiPlatformIndex(Path dir, String tag, List<String> platforms) {
        return multiPlatformIndex(dir, tag, platforms, tag.hashCode(), Format.OCI);
    }

    /**
     * Writes an index (OCI) or manifest list (Docker) with one image per platform
     * ({@code os/arch[/variant]}) into the layout at {@code dir} and lists it under {@code tag}.
     */
    public static LayoutImage multiPlatformIndex(Path dir, String tag, List<String> platforms, long seed, Format format) {
        if (platforms.isEmpty()) {
            throw new IllegalArgumentException("an index needs at least one platform");
        }
        OciLayout layout = OciLayout.open(dir);
        ArrayNode manifests = JSON.createArrayNode();
        List<String> children = new ArrayList<>();
        Set<String> blobs = new LinkedHashSet<>();
        for (int i = 0; i < platforms.size(); i++) {
            Built child = writeImage(layout, DEFAULT_INDEX_LAYERS, DEFAULT_INDEX_LAYER_BYTES, platforms.get(i),
                    seed * 1_000_003L + i, format);
            ObjectNode entry = child.descriptor.deepCopy();
            entry.set("platform", platformNode(platforms.get(i)));
            manifests.add(entry);
            children.add(child.digest());
            blobs.addAll(child.blobs);
        }
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", format.index);
        index.set("manifests", manifests);
        ObjectNode descriptor = layout.writeJsonBlob(format.index, index);
        layout.tag(tag, descriptor);
        return new LayoutImage(dir, tag, format.index, descriptor.get("digest").asText(),
                descriptor.get("size").asLong(), List.copyOf(children), List.copyOf(blobs));
    }

    /** Pushes {@code layoutDir:tag} to {@code repository:tag} on an open registry, every digest kept. */
    public static void push(Path layoutDir, String tag, RegistryServer registry, String repositoryAndTag) {
        push(layoutDir, tag, registry, repositoryAndTag, null);
    }

    /**
     * Pushes with skopeo ({@code --all --preserve-digests}: every platform, and a failure rather
     * than a silently converted manifest), using the credentials in {@code authFile} if not null.
     * Docker-typed images go through skopeo's {@code dir:} transport (see {@link DirTransport});
     * the bytes, and so the digests, are the same either way.
     */
    public static void push(Path layoutDir, String tag, RegistryServer registry, String repositoryAndTag, Path authFile) {
        Skopeo skopeo = authFile == null ? Skopeo.anonymous() : Skopeo.withAuthFile(authFile);
        OciLayout layout = OciLayout.open(layoutDir);
        JsonNode entry = layout.entry(tag);
        String mediaType = entry.path("mediaType").asText();
        if (mediaType.equals(MediaTypes.OCI_MANIFEST) || mediaType.equals(MediaTypes.OCI_INDEX)) {
            skopeo.copy("oci:" + layoutDir + ":" + tag, registry.docker(repositoryAndTag), "--all", "--preserve-digests");
            return;
        }
        Path dir = Cleanup.tempDirectory("regctl-it-skopeo-dir-");
        try {
            DirTransport.export(layout, entry.path("digest").asText(), dir);
            skopeo.copy("dir:" + dir, registry.docker(repositoryAndTag), "--all", "--preserve-digests");
        } finally {
            Cleanup.delete(dir);
        }
    }

    private record Built(ObjectNode descriptor, List<String> blobs) {
        String digest() {
            return descriptor.get("digest").asText();
        }

        long size() {
            return descriptor.get("size").asLong();
        }
    }

    private static Built writeImage(OciLayout layout, int layers, int layerBytes, String platform, long seed, Format format) {
        if (layers < 0 || layerBytes < 0) {
            throw new IllegalArgumentException("layers and layerBytes must not be negative");
        }
        Random random = new Random(seed);
        String created = Instant.ofEpochSecond(1_600_000_000L + Math.floorMod(seed, 100_000_000L)).toString();
        ArrayNode layerDescriptors = JSON.createArrayNode();
        ArrayNode diffIds = JSON.createArrayNode();
        ArrayNode history = JSON.createArrayNode();
        List<String> blobs = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            byte[] content = new byte[layerBytes];
            random.nextBytes(content);
            byte[] tar = ImageParts.tar("layer-" + i + ".bin", content);
            diffIds.add(Digest.sha256(tar).toString());
            ObjectNode layer = layout.writeBlob(format.layer, ImageParts.gzip(tar));
            layerDescriptors.add(layer);
            blobs.add(layer.get("digest").asText());
            history.addObject().put("created", created).put("created_by", "regctl test layer " + i + " (seed " + seed + ")");
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("created", created);
        String[] p = splitPlatform(platform);
        config.put("architecture", p[1]);
        if (p.length > 2) {
            config.put("variant", p[2]);
        }
        config.put("os", p[0]);
        ObjectNode runConfig = config.putObject("config");
        runConfig.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        runConfig.putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        config.set("history", history);
        ObjectNode configDescriptor = layout.writeJsonBlob(format.config, config);
        blobs.add(0, configDescriptor.get("digest").asText());

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", format.manifest);
        manifest.set("config", configDescriptor);
        manifest.set("layers", layerDescriptors);
        return new Built(layout.writeJsonBlob(format.manifest, manifest), List.copyOf(blobs));
    }

    private static ObjectNode platformNode(String platform) {
        String[] p = splitPlatform(platform);
        ObjectNode node = JSON.createObjectNode();
        node.put("architecture", p[1]);
        node.put("os", p[0]);
        if (p.length > 2) {
            node.put("variant", p[2]);
        }
        return node;
    }

    private static String[] splitPlatform(String platform) {
        String[] parts = platform.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || List.of(parts).contains("")) {
            throw new IllegalArgumentException("platform \"" + platform + "\": expected os/arch[/variant]");
        }
        return parts;
    }
}
