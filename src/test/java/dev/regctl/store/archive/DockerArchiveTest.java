package dev.regctl.store.archive;

import dev.regctl.store.ExpansionLimits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker archives read and written: what their format holds, and what it costs to read one. */
class DockerArchiveTest {

    @TempDir
    Path dir;

    /** One compressed layer listed 2,000 times (by two images) is read once to find its digest. */
    @Test
    void aLayerListedOverAndOverIsHashedOnce() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(TarBytes.concat(TarBytes.member("etc/motd", '0'), TarBytes.end()));
        }
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        ArrayNode list = Json.mapper().createArrayNode();
        for (String name : new String[] {"app:1", "app:2"}) {
            ObjectNode image = list.addObject();
            image.put("Config", "config.json");
            image.putArray("RepoTags").add(name);
            ArrayNode layers = image.putArray("Layers");
            for (int i = 0; i < 1000; i++) {
                layers.add("layer.tar.gz");
            }
        }
        Path file = Files.write(dir.resolve("repeated.tar"), TarBytes.concat(
                TarBytes.file("config.json", config), TarBytes.file("layer.tar.gz", gz.toByteArray()),
                TarBytes.file("manifest.json", Json.mapper().writeValueAsBytes(list)), TarBytes.end()));

        try (ArchiveFile archive = ArchiveFile.open(file, ExpansionLimits.fromEnvironment(Map.of()))) {
            MemberDigests digests = new MemberDigests(archive);
            for (int i = 0; i < list.size(); i++) {
                DockerArchiveImage image = DockerArchiveImage.read(archive, list.get(i), List.of(), "entry @" + i, digests);
                JsonNode layers = Json.readTree(image.manifest().bytes()).path("layers");
                assertEquals(1000, layers.size());
                assertEquals(Digest.sha256(gz.toByteArray()).toString(), layers.get(999).path("digest").asText());
                assertEquals(MediaTypes.DOCKER_LAYER_GZIP, layers.get(0).path("mediaType").asText());
            }
            assertEquals(1, digests.hashed());
        }
    }

    /** A Helm chart and the like: the format has no place for them, so the copy stops before writing (exit 2). */
    @Test
    void anArtifactIsRefusedPointingToOciArchives() {
        DockerArchiveWriter writer = new DockerArchiveWriter("docker-archive:" + dir.resolve("chart.tar"),
                dir.resolve("chart.tar"), "charts/app");
        RegctlException e = assertThrows(RegctlException.class, () -> writer.canStore(manifest(
                "application/vnd.cncf.helm.config.v1+json")));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("a docker archive holds container images only, not artifacts"
                + " (this one's config is application/vnd.cncf.helm.config.v1+json)"), e.getMessage());
        assertEquals("write it to an OCI archive instead: oci-archive:" + dir.resolve("chart.tar"), e.hint());
        assertFalse(e.getMessage().contains("schema1") || e.hint().contains("schema1"));
        assertTrue(writer.canStore(manifest(MediaTypes.OCI_CONFIG)));
        assertFalse(Files.exists(dir.resolve("chart.tar")));
    }

    /** {@code copy --all-tags REPO docker-archive:PATH}: a registry's bare tags need a repository to go under. */
    @Test
    void bareTagsWithoutARepositoryAreBadUsage() {
        DockerArchiveWriter unnamed = new DockerArchiveWriter("docker-archive:all.tar", dir.resolve("all.tar"), null);
        RegctlException e = assertThrows(RegctlException.class, () -> unnamed.canHoldTag("1.0"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().endsWith("name the repository: docker-archive:all.tar:NAME"), e.getMessage());
        assertTrue(unnamed.canHoldTag("app:1.0"), "a tag that names its repository needs none");
        assertTrue(new DockerArchiveWriter("docker-archive:all.tar", dir.resolve("all.tar"), "app").canHoldTag("1.0"));
    }

    /** skopeo and buildah write full names; {@code docker-archive:PATH:NAME} lists the tags under NAME, as a registry would. */
    @Test
    void namedWithARepositoryItsTagsAreThoseOfItsNames() throws IOException {
        Path file = archive(image("c1.json", "l1.tar", "example.com/app:1", "example.com/app:2"), image("c2.json", "l2.tar", "other:1"));
        try (DockerArchiveStore store = read(file, "example.com/app", null)) {
            assertEquals(List.of("1", "2"), store.listTags());
            assertEquals(store.fetchManifest("example.com/app:2").digest(), store.fetchManifest("2").digest());
            assertEquals(RegctlException.Kind.NOT_FOUND, assertThrows(RegctlException.class, () -> store.fetchManifest("3")).kind());
        }
        try (DockerArchiveStore store = read(file, null, null)) {
            assertEquals(List.of("example.com/app:1", "example.com/app:2", "other:1"), store.listTags());
        }
    }

    /** Docker's format has no zstd layer type, so skopeo refuses a schema 2 manifest naming one: it is an OCI manifest. */
    @Test
    void aZstdLayerMakesAnOciManifest() throws IOException {
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0};
        Path file = Files.write(dir.resolve("zstd.tar"), TarBytes.concat(
                TarBytes.file("c.json", CONFIG), TarBytes.file("a.tar.zst", zstd), TarBytes.file("b.tar.gz", gzip),
                TarBytes.file("manifest.json", json("[{\"Config\":\"c.json\",\"RepoTags\":[\"app:z\"],"
                        + "\"Layers\":[\"a.tar.zst\",\"b.tar.gz\"]},{\"Config\":\"c.json\",\"RepoTags\":[\"app:g\"],"
                        + "\"Layers\":[\"b.tar.gz\"]}]")), TarBytes.end()));
        try (DockerArchiveStore store = read(file, null, null)) {
            JsonNode oci = Json.readTree(store.fetchManifest("app:z").bytes());
            assertEquals(MediaTypes.OCI_MANIFEST, oci.path("mediaType").asText());
            assertEquals(MediaTypes.OCI_CONFIG, oci.path("config").path("mediaType").asText());
            assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", oci.path("layers").get(0).path("mediaType").asText());
            assertEquals(MediaTypes.OCI_LAYER_GZIP, oci.path("layers").get(1).path("mediaType").asText());
            assertEquals(MediaTypes.OCI_MANIFEST, store.fetchManifest("app:z").mediaType());
            JsonNode docker = Json.readTree(store.fetchManifest("app:g").bytes());
            assertEquals(MediaTypes.DOCKER_MANIFEST, docker.path("mediaType").asText(), "docker types where docker has them");
            assertEquals(MediaTypes.DOCKER_LAYER_GZIP, docker.path("layers").get(0).path("mediaType").asText());
        }
    }

    /** {@code docker save ID1 ID2}: no names, so {@code @N} picks one, and the choices say so. */
    @Test
    void unnamedImagesArePickedByTheirPlace() throws IOException {
        Path file = archive(image("c1.json", "l1.tar"), image("c2.json", "l2.tar"));
        try (DockerArchiveStore store = read(file, null, null)) {
            RegctlException e = assertThrows(RegctlException.class, store::onlyImage);
            assertEquals(RegctlException.Kind.USAGE, e.kind());
            assertTrue(e.getMessage().contains(":@N"), e.getMessage());
            assertEquals("choices: @0, @1", e.hint());
        }
        try (DockerArchiveStore first = read(file, null, 0); DockerArchiveStore second = read(file, null, 1)) {
            RawManifest one = first.fetchManifest(first.onlyImage());
            RawManifest two = second.fetchManifest(second.onlyImage());
            assertEquals(Digest.sha256(config("l2.tar")).toString(), two.manifest().config().digest().toString());
            assertFalse(one.digest().equals(two.digest()));
        }
        try (DockerArchiveStore beyond = read(file, null, 2)) {
            RegctlException e = assertThrows(RegctlException.class, beyond::onlyImage);
            assertEquals(RegctlException.Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().endsWith("there is no image @2: the archive holds 2 images (@0 to @1)"), e.getMessage());
        }
    }

    /**
     * Classic {@code docker save} (engines before 25) stores a layer two images share once, and
     * links the second image's {@code layer.tar} to it relatively.
     */
    @Test
    void aLayerSharedThroughARelativeSymlinkIsRead() throws IOException {
        byte[] layer = TarBytes.concat(TarBytes.member("etc/motd", '0'), TarBytes.end());
        Path file = sharingALayer(layer, "ccc/layer.tar", TarBytes.concat(TarBytes.symlink("bbb/layer.tar", "../aaa/layer.tar"),
                TarBytes.symlink("ccc/layer.tar", "./../bbb/layer.tar")));
        try (DockerArchiveStore store = read(file, null, null)) {
            Descriptor one = store.fetchManifest("app:1").manifest().layers().get(0);
            Descriptor two = store.fetchManifest("app:2").manifest().layers().get(0);
            assertEquals(Digest.sha256(layer), two.digest(), "the linked file's digest");
            assertEquals(one, two);
            assertArrayEquals(layer, store.openBlob(two).readAllBytes());
        }
    }

    /** A link that points out, is absolute, dangles, loops or chains on refuses its own image only. */
    @Test
    void aLinkThatLeadsNowhereAllowedRefusesOnlyItsImage() throws IOException {
        byte[] layer = TarBytes.concat(TarBytes.member("etc/motd", '0'), TarBytes.end());
        Map<String, String> links = new java.util.LinkedHashMap<>();
        links.put("../../etc/passwd", "points out of the archive");
        links.put("/etc/passwd", "an absolute path");
        links.put("../nowhere/layer.tar", "which the archive lacks");
        links.put("../bad/layer.tar", "links in a circle");
        links.put("../hop1/layer.tar", "goes through more than 4 links");
        links.put("../aaa", "is a directory (through a link), not a regular file");
        for (Map.Entry<String, String> link : links.entrySet()) {
            Path file = sharingALayer(layer, "bad/layer.tar", TarBytes.concat(TarBytes.symlink("bad/layer.tar", link.getKey()),
                    TarBytes.symlink("hop1/layer.tar", "../hop2/layer.tar"), TarBytes.symlink("hop2/layer.tar", "../hop3/layer.tar"),
                    TarBytes.symlink("hop3/layer.tar", "../hop4/layer.tar"), TarBytes.symlink("hop4/layer.tar", "../hop5/layer.tar"),
                    TarBytes.symlink("hop5/layer.tar", "../aaa/layer.tar")));
            try (DockerArchiveStore store = read(file, null, null)) {
                assertEquals(Digest.sha256(layer), store.fetchManifest("app:1").manifest().layers().get(0).digest());
                RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest("app:2"), link.getKey());
                assertEquals(RegctlException.Kind.FAILURE, e.kind());
                assertTrue(e.getMessage().contains("layer \"bad/layer.tar\" ") && e.getMessage().contains(link.getValue()),
                        e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
                assertEquals(List.of("app:1", "app:2"), store.listTags(), "both still named");
            }
        }
    }

    /** Image app:1 with layer {@code aaa/layer.tar}, and app:2 with {@code secondLayer}, which {@code links} lead to it. */
    private Path sharingALayer(byte[] layer, String secondLayer, byte[] links) throws IOException {
        return Files.write(dir.resolve("linked-" + System.nanoTime() + ".tar"), TarBytes.concat(
                TarBytes.header("aaa/", 0, '5', true), TarBytes.file("aaa/layer.tar", layer), links,
                TarBytes.file("c1.json", config(layer)), TarBytes.file("c2.json", config(layer, "x")),
                TarBytes.file("manifest.json", json("[{\"Config\":\"c1.json\",\"RepoTags\":[\"app:1\"],\"Layers\":[\"aaa/layer.tar\"]},"
                        + "{\"Config\":\"c2.json\",\"RepoTags\":[\"app:2\"],\"Layers\":[\"" + secondLayer + "\"]}]")),
                TarBytes.end()));
    }

    /** Where the layer lives at its URLs, the archive would name a file it lacks: refused before any file exists. */
    @Test
    void foreignAndEncryptedLayersAreRefusedNamingTheLayer() {
        DockerArchiveWriter writer = new DockerArchiveWriter("docker-archive:w.tar", dir.resolve("w.tar"), "app");
        Map<String, String> refused = Map.of(
                "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "lives at its URLs",
                "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", "lives at its URLs",
                "application/vnd.oci.image.layer.v1.tar+gzip+encrypted", "an encrypted layer");
        for (Map.Entry<String, String> type : refused.entrySet()) {
            RawManifest image = image(type.getKey(), null);
            RegctlException e = assertThrows(RegctlException.class, () -> writer.canStore(image), type.getKey());
            assertEquals(RegctlException.Kind.USAGE, e.kind());
            assertTrue(e.getMessage().contains(type.getValue()) && e.getMessage().contains(LAYER_DIGEST.toString()), e.getMessage());
            assertTrue(e.hint().contains("oci-archive:"), e.hint());
        }
        RawManifest annotated = image(MediaTypes.OCI_LAYER_GZIP, Map.of("org.opencontainers.image.enc.keys.jwe", "e30="));
        assertTrue(assertThrows(RegctlException.class, () -> writer.canStore(annotated)).getMessage().contains("encrypted"));
        assertTrue(writer.canStore(image(MediaTypes.OCI_LAYER_GZIP, Map.of("org.opencontainers.image.title", "x"))));
        assertFalse(Files.exists(dir.resolve("w.tar")));
    }

    /** BuildKit's attestations ({@code unknown/unknown}) are no platform anyone would pick. */
    @Test
    void thePlatformHintLeavesAttestationsOut() {
        String entry = "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + LAYER_DIGEST + "\",\"size\":1,";
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + entry + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + entry + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
                + entry + "\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"},"
                + "\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}}]}";
        DockerArchiveWriter writer = new DockerArchiveWriter("docker-archive:w.tar", dir.resolve("w.tar"), null);
        RegctlException e = assertThrows(RegctlException.class, () -> writer.canStore(
                RawManifest.of(index.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX)));
        assertEquals("pick one with --platform: linux/amd64, linux/arm64", e.hint());
        assertTrue(e.getMessage().endsWith("has 2"), e.getMessage());
    }

    private static final byte[] CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    private static final Digest LAYER_DIGEST = Digest.sha256(new byte[] {7});

    /** An image manifest with one layer of {@code type}. */
    private static RawManifest image(String type, Map<String, String> annotations) {
        Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(CONFIG), CONFIG.length);
        Descriptor layer = new Descriptor(type, LAYER_DIGEST, 1, null, null, annotations,
                type.contains("foreign") || type.contains("nondistributable") ? List.of("https://example.com/l") : null);
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", Json.mapper().valueToTree(config));
        m.putArray("layers").add(Json.mapper().valueToTree(layer));
        try {
            return RawManifest.of(Json.mapper().writeValueAsBytes(m), MediaTypes.OCI_MANIFEST);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One image as {@code docker save} lists it: members and its manifest.json entry. */
    private record SavedImage(byte[] members, ObjectNode entry) {
    }

    private static SavedImage image(String configName, String layerName, String... repoTags) {
        byte[] layer = TarBytes.concat(TarBytes.member(layerName + "/content", '0'), TarBytes.end());
        ObjectNode entry = Json.mapper().createObjectNode();
        entry.put("Config", configName);
        ArrayNode tags = entry.putArray("RepoTags");
        for (String tag : repoTags) {
            tags.add(tag);
        }
        entry.putArray("Layers").add(layerName);
        return new SavedImage(TarBytes.concat(TarBytes.file(configName, config(layerName)), TarBytes.file(layerName, layer)), entry);
    }

    private Path archive(SavedImage... images) throws IOException {
        ArrayNode list = Json.mapper().createArrayNode();
        byte[] members = new byte[0];
        for (SavedImage image : images) {
            list.add(image.entry());
            members = TarBytes.concat(members, image.members());
        }
        return Files.write(dir.resolve("saved-" + images.length + "-" + System.nanoTime() + ".tar"), TarBytes.concat(members,
                TarBytes.file("manifest.json", Json.mapper().writeValueAsBytes(list)), TarBytes.end()));
    }

    /** A config told apart by {@code name}. */
    private static byte[] config(String name) {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"name\":\"" + name + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A config whose one diff ID is {@code layer}'s digest. */
    private static byte[] config(byte[] layer, String... extra) {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"comment\":\"" + String.join("", extra)
                + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256(layer) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static DockerArchiveStore read(Path file, String repository, Integer selected) throws IOException {
        ArchiveFile archive = ArchiveFile.open(file, ExpansionLimits.fromEnvironment(Map.of()));
        return DockerArchiveStore.read("docker-archive:" + file, archive, repository, selected);
    }

    private static RawManifest manifest(String configType) {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + configType + "\",\"digest\":\"" + Digest.sha256(new byte[0]) + "\",\"size\":0},\"layers\":[]}";
        return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
    }
}
