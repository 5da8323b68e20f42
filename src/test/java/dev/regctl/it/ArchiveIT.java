package dev.regctl.it;

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
        byte[] config = "{\"name\":\"app\",\"version\":\"0.1.0\"}".getBytes(StandardCharsets.UTF_8);
        byte[] chart = "not really a chart".getBytes(StandardCharsets.UTF_8);
        Descriptor configBlob = new Descriptor("application/vnd.cncf.helm.config.v1+json", Digest.sha256(config), config.length);
        Descriptor chartBlob = new Descriptor("application/vnd.cncf.helm.chart.content.v1.tar+gzip", Digest.sha256(chart),
                chart.length);
        try (OciLayoutStore store = OciLayoutStore.create(layout)) {
            store.putBlob(configBlob, new ByteArrayInputStream(config));
            store.putBlob(chartBlob, new ByteArrayInputStream(chart));
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
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "tar " + argv + ": " + output);
        } catch (IOException e) {
            throw new AssertionError("GNU tar is needed for this test: apt-get install tar", e);
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
