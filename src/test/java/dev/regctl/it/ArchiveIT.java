package dev.regctl.it;

import static dev.regctl.testing.ImageParts.blob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.cli.Main;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Images;
import dev.regctl.store.archive.TarBytes;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-archive:} and {@code oci-archive:} against a real registry, with skopeo as the
 * independent writer and reader of archives (its docker-archive transport shares docker load's
 * rules) and GNU tar making the hostile ones.
 */
class ArchiveIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64/v8");

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer registry;

    private static Path noCredentials;
    private static LayoutImage single;
    private static LayoutImage multi;
    private static final Skopeo skopeo = Skopeo.anonymous();

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.open().start();
        noCredentials = Files.createDirectories(work.resolve("docker-config-empty"));
        Path oci = work.resolve("fixtures");
        single = TestImages.singleImage(oci, "single", 3, 64 * 1024, "linux/amd64", 21L,
                TestImages.Format.DOCKER);
        multi = TestImages.multiPlatformIndex(oci, "multi", PLATFORMS);
        TestImages.push(oci, "single", registry, "src/app:single");
        TestImages.push(oci, "multi", registry, "src/app:multi");
    }

    @Test
    void ociArchiveRoundTripIsDigestExactAndSkopeoReadsIt() throws IOException {
        Path archive = work.resolve("multi-oci.tar");
        regctl("copy", ref("src/app:multi"), "oci-archive:" + archive + ":multi").ok();
        assertEquals(multi.digest(), sha256(skopeo.inspectRaw("oci-archive:" + archive + ":multi")));

        regctl("copy", "oci-archive:" + archive + ":multi", ref("back/oci:multi")).ok();
        assertEquals(multi.digest(), sha256(skopeo.inspectRaw(registry.docker("back/oci:multi"))));
        Run digest = regctl("digest", "oci-archive:" + archive).ok();
        assertEquals(multi.digest(), digest.out().trim(), "the only image, by its digest");

        skopeo.copy("oci-archive:" + archive + ":multi", registry.docker("skopeo/oci:multi"), "--all", "--preserve-digests");
        assertEquals(multi.digest(), sha256(skopeo.inspectRaw(registry.docker("skopeo/oci:multi"))));
        assertNoTempFiles();
    }

    @Test
    void dockerArchiveKeepsLayerAndConfigDigestsAndSkopeoLoadsIt() throws IOException {
        Path archive = work.resolve("single-docker.tar");
        Run write = regctl("copy", ref("src/app:single"), "docker-archive:" + archive + ":app:1").ok();
        assertTrue(write.out().startsWith("copied"), write.out());

        JsonNode entries = JSON.readTree(skopeoManifestJson(archive));
        assertEquals("app:1", entries.get(0).path("RepoTags").get(0).asText());

        Run read = regctl("copy", "docker-archive:" + archive + ":app:1", ref("back/docker:1")).ok();
        assertTrue(read.err().contains("stores no manifests"), "the built manifest is announced: " + read.err());
        JsonNode original = JSON.readTree(skopeo.inspectRaw(registry.docker("src/app:single")));
        JsonNode copied = JSON.readTree(skopeo.inspectRaw(registry.docker("back/docker:1")));
        assertEquals(original.path("config").path("digest"), copied.path("config").path("digest"));
        assertEquals(digests(original.path("layers")), digests(copied.path("layers")));

        // skopeo's docker-archive transport reads it as docker load would, diff IDs checked.
        skopeo.copy("docker-archive:" + archive + ":app:1", "oci:" + work.resolve("loaded") + ":x");
        JsonNode config = skopeo.inspectConfig("oci:" + work.resolve("loaded") + ":x");
        assertEquals(original.path("layers").size(), config.path("rootfs").path("diff_ids").size());
        assertNoTempFiles();
    }

    @Test
    void readsArchivesSkopeoWroteCompressedOrNot() throws IOException {
        Path docker = work.resolve("by-skopeo-docker.tar");
        skopeo.copy(registry.docker("src/app:single"), "docker-archive:" + docker + ":skopeo/app:7");
        Run tags = regctl("tags", "docker-archive:" + docker).ok();
        assertEquals("skopeo/app:7", tags.out().trim());
        regctl("copy", "docker-archive:" + docker, ref("from-skopeo/docker:7")).ok();
        JsonNode pushed = JSON.readTree(skopeo.inspectRaw(registry.docker("from-skopeo/docker:7")));
        JsonNode config = skopeo.inspectConfig(registry.docker("src/app:single"));
        assertEquals(digests(config.path("rootfs").path("diff_ids")), digests(pushed.path("layers")),
                "skopeo stores layers uncompressed: their digests are the diff IDs");

        Path gz = work.resolve("by-skopeo-docker.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(docker, out);
        }
        regctl("copy", "docker-archive:" + gz + ":skopeo/app:7", ref("from-skopeo/gz:7")).ok();
        assertEquals(sha256(skopeo.inspectRaw(registry.docker("from-skopeo/docker:7"))),
                sha256(skopeo.inspectRaw(registry.docker("from-skopeo/gz:7"))), "the same manifest built either way");

        Path oci = work.resolve("by-skopeo-oci.tar");
        skopeo.copy(registry.docker("src/app:multi"), "oci-archive:" + oci + ":m", "--all", "--preserve-digests");
        regctl("copy", "oci-archive:" + oci + ":m", ref("from-skopeo/oci:m")).ok();
        assertEquals(multi.digest(), sha256(skopeo.inspectRaw(registry.docker("from-skopeo/oci:m"))));
    }

    @Test
    void multiPlatformIntoDockerArchiveNeedsPlatform() throws IOException {
        Path archive = work.resolve("multi-docker.tar");
        Run refused = regctl("copy", ref("src/app:multi"), "docker-archive:" + archive + ":app:m");
        assertEquals(2, refused.exit(), refused.err());
        assertTrue(refused.err().contains("linux/amd64") && refused.err().contains("linux/arm64/v8"), refused.err());
        assertEquals(1, refused.err().lines().filter(l -> l.startsWith("regctl:")).count(), refused.err());
        assertFalse(Files.exists(archive));

        regctl("copy", "--platform", "linux/arm64/v8", ref("src/app:multi"), "docker-archive:" + archive + ":app:m").ok();
        regctl("copy", "docker-archive:" + archive, ref("back/arm:m")).ok();
        JsonNode arm = skopeo.inspectConfig(registry.docker("back/arm:m"));
        assertEquals("arm64", arm.path("architecture").asText());
        assertNoTempFiles();
    }

    @Test
    void anArtifactIsNoDockerArchiveImage() throws IOException {
        Path layout = work.resolve("chart-layout");
        try (OciLayoutStore store = OciLayoutStore.create(layout)) {
            Descriptor configBlob = blob(store, "application/vnd.cncf.helm.config.v1+json",
                    "{\"name\":\"app\",\"version\":\"0.1.0\"}");
            Descriptor chartBlob = blob(store, "application/vnd.cncf.helm.chart.content.v1.tar+gzip", "not really a chart");
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                    + dev.regctl.Json.mapper().writeValueAsString(configBlob) + ",\"layers\":[" + dev.regctl.Json.mapper().writeValueAsString(chartBlob) + "]}";
            store.putManifest(RawManifest.of(manifest.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST), "0.1.0");
        }
        Path archive = work.resolve("chart.tar");
        Run refused = regctl("copy", "oci:" + layout + ":0.1.0", "docker-archive:" + archive + ":charts/app:0.1.0");
        assertEquals(2, refused.exit(), refused.err());
        List<String> lines = refused.err().lines().toList();
        assertTrue(lines.get(0).startsWith("regctl: ") && lines.get(0).contains("a docker archive holds container images only"),
                refused.err());
        assertTrue(lines.get(0).contains("application/vnd.cncf.helm.config.v1+json"), refused.err());
        assertTrue(refused.err().contains("oci-archive:"), refused.err());
        assertFalse(refused.err().contains("schema1"), refused.err());
        assertFalse(Files.exists(archive));

        regctl("copy", "oci:" + layout + ":0.1.0", "oci-archive:" + work.resolve("chart-oci.tar")).ok();
        assertNoTempFiles();
    }

    @Test
    void allTagsIntoOneArchive() throws IOException {
        Path oci = work.resolve("all-oci.tar");
        regctl("copy", "--all-tags", registry.host() + "/src/app", "oci-archive:" + oci).ok();
        Run tags = regctl("tags", "oci-archive:" + oci).ok();
        assertEquals(List.of("multi", "single"), tags.out().lines().sorted().toList());

        Path docker = work.resolve("all-docker.tar");
        Run unnamed = regctl("copy", "--all-tags", "--platform", "linux/amd64", registry.host() + "/src/app",
                "docker-archive:" + docker);
        assertEquals(2, unnamed.exit(), "a registry's tags need a repository to be named under: " + unnamed.err());
        assertEquals(1, unnamed.err().lines().count(), unnamed.err());
        assertTrue(unnamed.err().contains("name the repository: docker-archive:" + docker + ":NAME"), unnamed.err());
        assertFalse(Files.exists(docker));
        regctl("copy", "--all-tags", "--platform", "linux/amd64", registry.host() + "/src/app",
                "docker-archive:" + docker + ":app").ok();
        assertEquals(List.of("app:multi", "app:single"),
                regctl("tags", "docker-archive:" + docker).ok().out().lines().sorted().toList());
        regctl("copy", "--all-tags", "docker-archive:" + docker, "oci-archive:" + work.resolve("again.tar")).ok();
        skopeo.copy("docker-archive:" + docker + ":app:single", "oci:" + work.resolve("loaded-all") + ":s");
    }

    @Test
    void hostileArchivesFailInOneLineAndPushNothing() throws IOException {
        Path good = work.resolve("good.tar");
        regctl("copy", ref("src/app:single"), "docker-archive:" + good + ":app:1").ok();
        Path tree = Files.createDirectories(work.resolve("tree"));
        extract(good, tree);
        String layer = JSON.readTree(tree.resolve("manifest.json").toFile()).get(0).path("Layers").get(0).asText();

        List<Path> hostile = new ArrayList<>();
        Path truncated = work.resolve("truncated.tar");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2 + 100));
        hostile.add(truncated);
        hostile.add(tarOf("climbing.tar", tree, "-P", "--transform=s|^manifest.json|../x|", "manifest.json", "blobs"));
        hostile.add(tarOf("absolute.tar", tree, "-P", "--transform=s|^blobs|/blobs|", "manifest.json", "blobs"));
        Path missing = Files.createDirectories(work.resolve("missing"));
        extract(good, missing);
        Files.delete(missing.resolve(layer));
        hostile.add(tarOf("missing.tar", missing, "manifest.json", "blobs"));
        Path linked = Files.createDirectories(work.resolve("linked"));
        extract(good, linked);
        Files.move(linked.resolve(layer), linked.resolve("elsewhere"));
        Files.createSymbolicLink(linked.resolve(layer), linked.resolve("elsewhere"));
        hostile.add(tarOf("symlink.tar", linked, "manifest.json", "blobs", "elsewhere"));
        Path hard = Files.createDirectories(work.resolve("hard"));
        extract(good, hard);
        Files.createLink(hard.resolve("second"), hard.resolve(layer));
        hostile.add(tarOf("hardlink.tar", hard, "manifest.json", "second", "blobs"));
        hostile.add(hiddenBehindADirectory(good));
        Path big = Files.createDirectories(work.resolve("big"));
        extract(good, big);
        Files.writeString(big.resolve("manifest.json"), "[" + " ".repeat(5 * 1024 * 1024) + "]");
        hostile.add(tarOf("big-manifest.tar", big, "manifest.json", "blobs"));

        for (Path archive : hostile) {
            Run r = regctl("copy", "docker-archive:" + archive, ref("hostile/" + archive.getFileName().toString()
                    .replace(".tar", "") + ":x"));
            assertEquals(1, r.exit(), archive + ": " + r.err());
            assertEquals(1, r.err().lines().count(), archive + ": one line: " + r.err());
            assertTrue(r.err().startsWith("regctl: "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        assertEquals(0, registry.countRequests("PUT", ".*hostile.*") + registry.countRequests("POST", ".*hostile.*"),
                "nothing pushed");
        assertFalse(Files.exists(work.resolve("x")), "nothing written outside the archive");
        assertNoTempFiles();
    }

    /** A docker archive named with a repository lists its tags as a registry repository does: regctl's and skopeo's. */
    @Test
    void allTagsOutOfADockerArchiveAreThoseOfItsRepository() throws IOException {
        Path ours = work.resolve("tags-of-app.tar");
        regctl("copy", "--all-tags", "--platform", "linux/amd64", registry.host() + "/src/app", "docker-archive:" + ours + ":app").ok();
        assertEquals(List.of("multi", "single"), regctl("tags", "docker-archive:" + ours + ":app").ok().out().lines().sorted().toList());
        regctl("copy", "--all-tags", "docker-archive:" + ours + ":app", registry.host() + "/from-archive/app").ok();
        assertEquals(List.of("multi", "single"), skopeo.listTags(registry.docker("from-archive/app")).stream().sorted().toList());
        assertEquals("amd64", skopeo.inspectConfig(registry.docker("from-archive/app:multi")).path("architecture").asText());

        Path skopeos = work.resolve("tags-by-skopeo.tar");
        skopeo.copy(registry.docker("src/app:single"), "docker-archive:" + skopeos + ":example.com/app:1");
        regctl("copy", "--all-tags", "docker-archive:" + skopeos + ":example.com/app", registry.host() + "/from-skopeo/all").ok();
        assertEquals(List.of("1"), skopeo.listTags(registry.docker("from-skopeo/all")));
    }

    /** An SBOM copied into an OCI archive is its image's referrer there, and comes out with it, as from a layout. */
    @Test
    void referrersGoThroughAnOciArchive() throws IOException {
        Path layout = work.resolve("with-sbom");
        regctl("copy", "oci:" + single.dir() + ":single", "oci:" + layout + ":1").ok();
        Digest sbom;
        try (OciLayoutStore store = OciLayoutStore.open(layout)) {
            // An SBOM, untagged in the layout as copy lists referrers there.
            sbom = Images.referrer(store, store.fetchManifest("1").descriptor(), "application/spdx+json",
                    "{\"spdxVersion\":\"SPDX-2.3\"}", null).digest();
        }
        regctl("copy", "--referrers", "oci:" + layout + ":1", ref("sbom/app:1")).ok();
        Path archive = work.resolve("with-sbom.tar");
        regctl("copy", "--referrers", ref("sbom/app:1"), "oci-archive:" + archive).ok();

        assertEquals(List.of("1"), regctl("tags", "oci-archive:" + archive).ok().out().lines().toList(),
                "no sha256-<hex> tag: index.json lists the SBOM");
        assertTrue(regctl("referrers", "oci-archive:" + archive).ok().out().contains(sbom.toString()));
        regctl("copy", "--referrers", "oci-archive:" + archive, ref("sbom/back:1")).ok();
        assertTrue(regctl("referrers", ref("sbom/back:1")).ok().out().contains(sbom.toString()));
    }

    /** Docker's format has no zstd type: the image gets an OCI manifest, which skopeo copies (it refuses the other). */
    @Test
    void aZstdDockerArchiveBecomesAnOciImageSkopeoReads() throws IOException {
        byte[] layer = TarBytes.concat(TarBytes.file("etc/zstd", "compressed with zstd".getBytes(StandardCharsets.UTF_8)),
                TarBytes.end());
        java.io.ByteArrayOutputStream zstd = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(zstd)) {
            out.write(layer);
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + sha256(layer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Path archive = Files.write(work.resolve("zstd-docker.tar"), TarBytes.concat(TarBytes.file("config.json", config),
                TarBytes.file("layer.tar.zst", zstd.toByteArray()), TarBytes.file("manifest.json",
                        "[{\"Config\":\"config.json\",\"RepoTags\":[\"app:z\"],\"Layers\":[\"layer.tar.zst\"]}]"
                                .getBytes(StandardCharsets.UTF_8)), TarBytes.end()));
        regctl("copy", "docker-archive:" + archive, ref("zstd/app:1")).ok();
        JsonNode manifest = JSON.readTree(skopeo.inspectRaw(registry.docker("zstd/app:1")));
        assertEquals(MediaTypes.OCI_MANIFEST, manifest.path("mediaType").asText());
        assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", manifest.path("layers").get(0).path("mediaType").asText());
        skopeo.copy(registry.docker("zstd/app:1"), "oci:" + work.resolve("zstd-by-skopeo") + ":z");
    }

    /** {@code docker save ID1 ID2} names no image: skopeo's {@code @N} picks one, the same one skopeo picks. */
    @Test
    void unnamedImagesArePickedByTheirPlaceAsSkopeoDoes() throws IOException {
        Path tree = Files.createDirectories(work.resolve("by-id"));
        regctl("copy", ref("src/app:single"), "docker-archive:" + work.resolve("id1.tar")).ok();
        regctl("copy", "--platform", "linux/arm64/v8", ref("src/app:multi"), "docker-archive:" + work.resolve("id2.tar")).ok();
        extract(work.resolve("id1.tar"), tree);
        JsonNode first = JSON.readTree(tree.resolve("manifest.json").toFile()).get(0);
        extract(work.resolve("id2.tar"), tree);
        JsonNode second = JSON.readTree(tree.resolve("manifest.json").toFile()).get(0);
        com.fasterxml.jackson.databind.node.ArrayNode both = JSON.createArrayNode().add(first).add(second);
        both.forEach(entry -> ((com.fasterxml.jackson.databind.node.ObjectNode) entry).putNull("RepoTags"));
        Files.write(tree.resolve("manifest.json"), JSON.writeValueAsBytes(both));
        Path archive = tarOf("by-id.tar", tree, "manifest.json", "blobs");

        Run ambiguous = regctl("copy", "docker-archive:" + archive, ref("ids/app:x"));
        assertEquals(2, ambiguous.exit(), ambiguous.err());
        assertTrue(ambiguous.err().contains("choices: @0, @1"), ambiguous.err());
        regctl("copy", "docker-archive:" + archive + ":@1", ref("ids/app:1")).ok();
        assertEquals("arm64", skopeo.inspectConfig(registry.docker("ids/app:1")).path("architecture").asText());
        assertEquals(sha256(skopeo.inspectConfigRaw("docker-archive:" + archive + ":@1")),
                JSON.readTree(skopeo.inspectRaw(registry.docker("ids/app:1"))).path("config").path("digest").asText());
        Run written = regctl("copy", ref("src/app:single"), "docker-archive:" + work.resolve("never-by-id.tar") + ":@0");
        assertEquals(2, written.exit(), written.err());
    }

    /**
     * Classic {@code docker save} (before 25): a layer two images share is stored once and linked
     * from the other image's directory. The link is followed inside the archive; one that points
     * out refuses its own image only.
     */
    @Test
    void aLayerSharedByClassicDockerSaveThroughASymlink() throws IOException {
        Path tree = Files.createDirectories(work.resolve("classic"));
        regctl("copy", ref("src/app:single"), "docker-archive:" + work.resolve("classic-src.tar")).ok();
        extract(work.resolve("classic-src.tar"), tree);
        JsonNode saved = JSON.readTree(tree.resolve("manifest.json").toFile()).get(0);
        com.fasterxml.jackson.databind.node.ArrayNode list = JSON.createArrayNode();
        com.fasterxml.jackson.databind.node.ObjectNode one = list.addObject();
        com.fasterxml.jackson.databind.node.ObjectNode two = list.addObject();
        one.put("Config", saved.path("Config").asText());
        one.putArray("RepoTags").add("app:1");
        two.put("Config", "second.json");
        two.putArray("RepoTags").add("app:2");
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(tree.resolve(saved.path("Config").asText()).toFile());
        config.put("comment", "the second image");
        Files.write(tree.resolve("second.json"), JSON.writeValueAsBytes(config));
        for (int i = 0; i < saved.path("Layers").size(); i++) {
            Path first = Files.createDirectories(tree.resolve("id1-" + i));
            Files.move(tree.resolve(saved.path("Layers").get(i).asText()), first.resolve("layer.tar"));
            Path other = Files.createDirectories(tree.resolve("id2-" + i));
            Files.createSymbolicLink(other.resolve("layer.tar"), Path.of("../id1-" + i + "/layer.tar"));
            one.withArray("Layers").add("id1-" + i + "/layer.tar");
            two.withArray("Layers").add("id2-" + i + "/layer.tar");
        }
        Files.write(tree.resolve("manifest.json"), JSON.writeValueAsBytes(list));
        List<String> members = new ArrayList<>(List.of("manifest.json", saved.path("Config").asText(), "second.json"));
        for (int i = 0; i < saved.path("Layers").size(); i++) {
            members.addAll(List.of("id1-" + i, "id2-" + i));
        }
        Path archive = tarOf("classic.tar", tree, members.toArray(String[]::new));

        regctl("copy", "docker-archive:" + archive + ":app:2", ref("classic/app:2")).ok();
        JsonNode original = JSON.readTree(skopeo.inspectRaw(registry.docker("src/app:single")));
        JsonNode copied = JSON.readTree(skopeo.inspectRaw(registry.docker("classic/app:2")));
        assertEquals(digests(original.path("layers")), digests(copied.path("layers")));
        assertEquals("the second image", skopeo.inspectConfig(registry.docker("classic/app:2")).path("comment").asText());
        skopeo.copy("docker-archive:" + archive + ":app:2", "oci:" + work.resolve("classic-by-skopeo") + ":2");

        Files.delete(tree.resolve("id2-0/layer.tar"));
        Files.createSymbolicLink(tree.resolve("id2-0/layer.tar"), Path.of("../../outside/layer.tar"));
        Path out = tarOf("classic-out.tar", tree, members.toArray(String[]::new));
        Run refused = regctl("copy", "docker-archive:" + out + ":app:2", ref("classic-out/app:2"));
        assertEquals(1, refused.exit(), refused.err());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.err().contains("points out of the archive"), refused.err());
        regctl("copy", "docker-archive:" + out + ":app:1", ref("classic-out/app:1")).ok();
    }

    /** {@code docker save | xz} and {@code | bzip2}: the same images as the tar they compress. */
    @Test
    void xzAndBzip2ArchivesAreReadAsTheTarTheyCompress() throws IOException {
        Path archive = work.resolve("to-compress.tar");
        regctl("copy", ref("src/app:single"), "docker-archive:" + archive + ":app:1").ok();
        String digest = regctl("digest", "docker-archive:" + archive + ":app:1").ok().out().trim();
        command(work, "xz", "-k", "-T1", archive.toString());
        command(work, "bzip2", "-k", archive.toString());
        for (String compressed : List.of(archive + ".xz", archive + ".bz2")) {
            assertEquals(digest, regctl("digest", "docker-archive:" + compressed + ":app:1").ok().out().trim(), compressed);
        }
        regctl("copy", "docker-archive:" + archive + ".xz:app:1", ref("xz/app:1")).ok();
        assertEquals(digest, sha256(skopeo.inspectRaw(registry.docker("xz/app:1"))));
    }

    /** Foreign and encrypted layers: the archive would lack the blob or lose the keys, so nothing is written. */
    @Test
    void layersADockerArchiveCannotHoldAreRefusedBeforeItIsWritten() throws IOException {
        for (String type : List.of("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                "application/vnd.oci.image.layer.v1.tar+gzip+encrypted")) {
            Path layout = work.resolve("unheld-" + type.hashCode());
            byte[] config = "{\"architecture\":\"amd64\",\"os\":\"windows\"}".getBytes(StandardCharsets.UTF_8);
            byte[] layer = "layer".getBytes(StandardCharsets.UTF_8);
            Descriptor configBlob = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
            Descriptor layerBlob = new Descriptor(type, Digest.sha256(layer), layer.length, null, null, null,
                    type.contains("foreign") ? List.of("https://example.invalid/layer") : null);
            try (OciLayoutStore store = OciLayoutStore.create(layout)) {
                store.putBlob(configBlob, new ByteArrayInputStream(config));
                store.putBlob(layerBlob, new ByteArrayInputStream(layer));
                String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                        + dev.regctl.Json.mapper().writeValueAsString(configBlob) + ",\"layers\":["
                        + dev.regctl.Json.mapper().writeValueAsString(layerBlob) + "]}";
                store.putManifest(RawManifest.of(manifest.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST), "1");
            }
            Path archive = work.resolve("unheld-" + type.hashCode() + ".tar");
            Run refused = regctl("copy", "oci:" + layout + ":1", "docker-archive:" + archive + ":app:1");
            assertEquals(2, refused.exit(), refused.err());
            assertTrue(refused.err().lines().findFirst().orElseThrow().contains(layerBlob.digest().toString()), refused.err());
            assertFalse(Files.exists(archive), type);
            regctl("copy", "oci:" + layout + ":1", "oci-archive:" + work.resolve("unheld-" + type.hashCode() + "-oci.tar")).ok();
        }
        assertNoTempFiles();
    }

    @Test
    void failedCopyLeavesNoArchive() throws IOException {
        Path archive = work.resolve("never.tar");
        Run r = regctl("copy", ref("src/app:nonexistent"), "oci-archive:" + archive);
        assertEquals(3, r.exit(), r.err());
        assertFalse(Files.exists(archive));
        assertNoTempFiles();
    }

    /**
     * {@code good} with a directory member added whose declared size covers a second
     * {@code manifest.json}: Go's archive/tar, and so docker and skopeo, see that member, so
     * regctl must too, and refuse the name given twice.
     */
    private static Path hiddenBehindADirectory(Path good) throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        int end = bytes.length;
        while (end >= 512 && java.util.Arrays.equals(bytes, end - 512, end, new byte[512], 0, 512)) {
            end -= 512;
        }
        byte[] second = TarBytes.file("manifest.json", "[{\"Config\":\"elsewhere.json\",\"Layers\":[]}]"
                .getBytes(StandardCharsets.UTF_8));
        Path hidden = work.resolve("hidden.tar");
        Files.write(hidden, TarBytes.concat(java.util.Arrays.copyOf(bytes, end),
                TarBytes.header("covers/", second.length, '5', true), second, TarBytes.end()));
        return hidden;
    }

    private static byte[] skopeoManifestJson(Path archive) throws IOException {
        Path out = Files.createTempDirectory(work, "x");
        extract(archive, out);
        return Files.readAllBytes(out.resolve("manifest.json"));
    }

    private static void extract(Path archive, Path into) {
        tar(into, "-xf", archive.toString());
    }

    private static Path tarOf(String name, Path dir, String... args) {
        Path out = work.resolve(name);
        List<String> argv = new ArrayList<>(List.of("-cf", out.toString()));
        argv.addAll(List.of(args));
        tar(dir, argv.toArray(String[]::new));
        return out;
    }

    private static void tar(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("tar"));
        argv.addAll(List.of(args));
        command(dir, argv.toArray(String[]::new));
    }

    /** Runs a tool the test needs (GNU tar, xz, bzip2) in {@code dir}, and expects it to succeed. */
    private static void command(Path dir, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + output);
        } catch (IOException e) {
            throw new AssertionError(argv[0] + " is needed for this test: apt-get install " + argv[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** No temporary archive is left beside any archive this class wrote. */
    private static void assertNoTempFiles() throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            List<Path> temps = files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), temps);
        }
    }

    private static List<String> digests(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("digest").asText()));
        return out;
    }

    private static Run regctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--config", noCredentials.toString()));
        int exit = Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {
        Run ok() {
            assertEquals(0, exit, "exit status; stderr: " + err);
            return this;
        }
    }

    private static String ref(String repositoryAndTag) {
        return registry.host() + "/" + repositoryAndTag;
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
