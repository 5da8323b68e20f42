package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import dev.regctl.it.support.TestImages;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.ReferrerTags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code artifact push|attach|pull} through the packaged launcher against a real CNCF distribution
 * 2.8 registry (which has no referrers API, so attach keeps the {@code sha256-<hex>} index), with
 * artifacts read back over plain HTTP and others' artifacts written over plain HTTP in ORAS's shape,
 * the directory layer made by GNU tar.
 */
@EnabledIfSystemProperty(named = "regctl.launcher", matches = ".+",
        disabledReason = "an integration test: run by failsafe (mvn verify), which packages the launcher first")
class ArtifactIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TITLE = "org.opencontainers.image.title";
    private static final String SPDX = "application/spdx+json";
    private static final OkHttpClient HTTP = new OkHttpClient();

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer registry;
    @AutoClose
    static Launcher regctl;
    @AutoClose
    static Seeder seeder;

    private static Path files;
    private static String image;

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.open().start();
        regctl = Launcher.create();
        seeder = Seeder.of(registry);
        Path layout = work.resolve("layout");
        image = TestImages.singleImage(layout, "v1", 1, 512, "linux/amd64", 3L).digest();
        for (String repository : List.of("app", "race", "copied-from")) {
            TestImages.push(layout, "v1", registry, repository + ":v1");
        }
        files = Files.createDirectories(work.resolve("files"));
        Files.writeString(files.resolve("notes.txt"), "release notes\n");
        Files.write(files.resolve("data.bin"), new byte[] {0, 1, 2, (byte) 0xff});
        Files.writeString(files.resolve("sbom.spdx.json"), "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\"}");
        Files.createDirectories(files.resolve("site/img"));
        Files.writeString(files.resolve("site/index.html"), "<h1>docs</h1>");
        Files.write(files.resolve("site/img/logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }

    private static String at(String reference) {
        return registry.host() + "/" + reference;
    }

    private static Launcher.Result ok(Launcher.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    @Test
    void pushedFilesAndADirectoryArePulledBackByteIdenticalFromAManifestOfOrasShape() throws IOException {
        Launcher.Result push = ok(regctl.run("artifact", "push", at("reports:1.0"), files.resolve("notes.txt").toString(),
                files.resolve("data.bin") + ":application/octet-stream", files.resolve("site").toString()));
        String digest = push.stdoutText().strip();

        JsonNode m = JSON.readTree(get("reports", "1.0"));
        assertEquals(digest, Digest.sha256(get("reports", "1.0")).toString());
        assertEquals(2, m.get("schemaVersion").asInt());
        assertEquals(MediaTypes.OCI_MANIFEST, m.get("mediaType").asText());
        assertEquals("application/vnd.unknown.artifact.v1", m.get("artifactType").asText());
        assertEquals("application/vnd.oci.empty.v1+json", m.at("/config/mediaType").asText());
        assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", m.at("/config/digest").asText());
        assertEquals(2, m.at("/config/size").asInt());
        assertEquals("{}", new String(getBlob("reports", m.at("/config/digest").asText()), StandardCharsets.UTF_8));
        JsonNode layers = m.get("layers");
        assertEquals(3, layers.size());
        assertEquals(List.of("notes.txt", "data.bin", "site"), List.of(layers.get(0).at("/annotations/" + esc(TITLE)).asText(),
                layers.get(1).at("/annotations/" + esc(TITLE)).asText(), layers.get(2).at("/annotations/" + esc(TITLE)).asText()));
        assertEquals("application/vnd.oci.image.layer.v1.tar", layers.get(0).get("mediaType").asText());
        assertEquals("application/octet-stream", layers.get(1).get("mediaType").asText());
        assertEquals(MediaTypes.OCI_LAYER_GZIP, layers.get(2).get("mediaType").asText());
        assertEquals("true", layers.get(2).at("/annotations/io.deis.oras.content.unpack").asText());
        assertTrue(layers.get(2).at("/annotations/io.deis.oras.content.digest").asText().startsWith("sha256:"));
        assertArrayEquals(Files.readAllBytes(files.resolve("notes.txt")), getBlob("reports", layers.get(0).get("digest").asText()));
        assertTrue(m.at("/annotations/org.opencontainers.image.created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));

        Path out = Files.createDirectories(work.resolve("pulled"));
        Launcher.Result pull = ok(regctl.run("artifact", "pull", at("reports:1.0"), "--dir", out.toString()));
        assertEquals(3, pull.stdoutLines().size(), pull.toString());
        for (String f : List.of("notes.txt", "data.bin", "site/index.html", "site/img/logo.png")) {
            assertArrayEquals(Files.readAllBytes(files.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        assertEquals(List.of("data.bin", "notes.txt", "site"), listing(out));
    }

    @Test
    void anAttachedSbomIsListedInTheFallbackIndexFoundByReferrersCarriedByCopyAndPulledByType() throws IOException {
        Launcher.Result attach = ok(regctl.run("artifact", "attach", at("app:v1"), files.resolve("sbom.spdx.json").toString(),
                "--artifact-type", SPDX));
        String sbom = attach.stdoutText().strip();

        JsonNode artifact = JSON.readTree(get("app", sbom));
        assertEquals(image, artifact.at("/subject/digest").asText());
        assertEquals(MediaTypes.OCI_MANIFEST, artifact.at("/subject/mediaType").asText());
        JsonNode index = JSON.readTree(get("app", ReferrerTags.fallback(Digest.parse(image))));
        assertEquals(1, index.get("manifests").size());
        assertEquals(sbom, index.at("/manifests/0/digest").asText());
        assertEquals(SPDX, index.at("/manifests/0/artifactType").asText());

        assertTrue(ok(regctl.run("referrers", at("app:v1"))).stdoutText().contains(sbom + "  " + SPDX));

        ok(regctl.run("copy", "--referrers", at("app:v1"), at("mirror:v1")));
        JsonNode copied = JSON.readTree(get("mirror", ReferrerTags.fallback(Digest.parse(image))));
        assertEquals(sbom, copied.at("/manifests/0/digest").asText());

        Path out = work.resolve("sbom-out");
        ok(regctl.run("artifact", "pull", at("mirror:v1"), "--artifact-type", SPDX, "--dir", out.toString()));
        assertArrayEquals(Files.readAllBytes(files.resolve("sbom.spdx.json")), Files.readAllBytes(out.resolve("sbom.spdx.json")));
    }

    @Test
    void twoAttachesAtOnceAreBothListed() throws IOException {
        Path a = Files.writeString(work.resolve("a.sig"), "signature a");
        Path b = Files.writeString(work.resolve("b.sig"), "signature b");
        Launcher.Running first = regctl.call("artifact", "attach", at("race:v1"), a.toString(), "--artifact-type", "application/vnd.example.sig").start();
        Launcher.Running second = regctl.call("artifact", "attach", at("race:v1"), b.toString(), "--artifact-type", "application/vnd.example.sig").start();
        String one = ok(first.await(Duration.ofMinutes(2))).stdoutText().strip();
        String two = ok(second.await(Duration.ofMinutes(2))).stdoutText().strip();

        List<String> listed = new ArrayList<>();
        JSON.readTree(get("race", ReferrerTags.fallback(Digest.parse(image)))).get("manifests")
                .forEach(e -> listed.add(e.get("digest").asText()));
        assertTrue(listed.containsAll(List.of(one, two)), "listed: " + listed + ", pushed: " + one + ", " + two);
        assertEquals(2, listed.size(), listed.toString());
    }

    @Test
    void anArtifactAnotherWriterPushedInOrasShapeIsPulled() throws IOException, InterruptedException {
        Path tree = Files.createDirectories(work.resolve("other/tree"));
        Files.createDirectories(tree.resolve("docs/deep"));
        Files.writeString(tree.resolve("docs/readme.md"), "# readme");
        Files.writeString(tree.resolve("docs/deep/x.txt"), "x");
        Path tarGz = work.resolve("other/docs.tar.gz");
        Process tar = new ProcessBuilder("tar", "-C", tree.toString(), "-czf", tarGz.toString(), "docs").inheritIO().start();
        assertEquals(0, tar.waitFor());
        byte[] notes = "from another tool".getBytes(StandardCharsets.UTF_8);
        byte[] layer = Files.readAllBytes(tarGz);
        push("other", "v1", List.of(layer("application/vnd.oci.image.layer.v1.tar", notes, "notes.txt", false),
                layer(MediaTypes.OCI_LAYER_GZIP, layer, "docs", true)));

        Path out = work.resolve("other-out");
        ok(regctl.run("artifact", "pull", at("other:v1"), "--dir", out.toString()));
        assertArrayEquals(notes, Files.readAllBytes(out.resolve("notes.txt")));
        assertEquals("# readme", Files.readString(out.resolve("docs/readme.md")));
        assertEquals("x", Files.readString(out.resolve("docs/deep/x.txt")));
    }

    @Test
    void everyHostileTitleAndAHostileTarIsExitOneWithNothingOutsideDir() throws IOException {
        byte[] bytes = "payload".getBytes(StandardCharsets.UTF_8);
        Path sandbox = Files.createDirectories(work.resolve("sandbox"));
        Path outside = Files.createDirectories(work.resolve("outside"));
        Path dir = Files.createDirectories(sandbox.resolve("dir"));
        Files.createSymbolicLink(dir.resolve("link"), outside);
        Map<String, List<Layer>> cases = Map.of(
                "absolute", List.of(layer("text/plain", bytes, outside.resolve("abs.txt").toString(), false)),
                "dotdot", List.of(layer("text/plain", bytes, "../escaped.txt", false)),
                "symlink", List.of(layer("text/plain", bytes, "link/through.txt", false)),
                "duplicate", List.of(layer("text/plain", bytes, "same.txt", false), layer("text/plain", "other".getBytes(StandardCharsets.UTF_8), "same.txt", false)),
                "tar-dotdot", List.of(layer(MediaTypes.OCI_LAYER_GZIP, hostileTar("pkg/../../escaped.txt", TarArchiveEntry.LF_NORMAL, null), "pkg", true)),
                "tar-symlink", List.of(layer(MediaTypes.OCI_LAYER_GZIP, hostileTar("pkg/out", TarArchiveEntry.LF_SYMLINK, outside.toString()), "pkg", true)),
                "tar-device", List.of(layer(MediaTypes.OCI_LAYER_GZIP, hostileTar("pkg/null", TarArchiveEntry.LF_CHR, null), "pkg", true)));
        for (Map.Entry<String, List<Layer>> c : cases.entrySet()) {
            push("hostile", c.getKey(), c.getValue());
            Launcher.Result r = regctl.run("artifact", "pull", at("hostile:" + c.getKey()), "--dir", dir.toString());
            assertEquals(1, r.exitCode(), c.getKey() + ": " + r);
            assertEquals(1, r.stderrLines().size(), c.getKey() + ": " + r.stderr());
            assertTrue(r.stderr().contains(": layer "), c.getKey() + ": " + r.stderr());
            assertEquals(List.of(), listing(outside), c.getKey());
            assertEquals(List.of("dir"), listing(sandbox), c.getKey());
            assertEquals(List.of("link"), listing(dir), c.getKey());
        }
    }

    /** Uploads the blobs and pushes an artifact manifest of ORAS's shape listing {@code layers}, under {@code tag}. */
    private static void push(String repository, String tag, List<Layer> layers) {
        seeder.uploadBlob(repository, "{}".getBytes(StandardCharsets.UTF_8));
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("artifactType", "application/vnd.example.thing");
        manifest.putObject("config").put("mediaType", "application/vnd.oci.empty.v1+json")
                .put("digest", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a").put("size", 2);
        var array = manifest.putArray("layers");
        for (Layer layer : layers) {
            seeder.uploadBlob(repository, layer.bytes());
            array.add(layer.descriptor());
        }
        try {
            seeder.pushManifest(repository, tag, JSON.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A layer another tool wrote: its descriptor and its bytes. */
    private record Layer(ObjectNode descriptor, byte[] bytes) {
    }

    private static Layer layer(String mediaType, byte[] bytes, String title, boolean unpack) {
        ObjectNode node = JSON.createObjectNode().put("mediaType", mediaType).put("digest", Digest.sha256(bytes).toString())
                .put("size", bytes.length);
        ObjectNode annotations = node.putObject("annotations").put(TITLE, title);
        if (unpack) {
            annotations.put("io.deis.oras.content.unpack", "true");
        }
        return new Layer(node, bytes);
    }

    /** A gzip'd tar of the directory entry {@code pkg/} and one hostile entry. */
    private static byte[] hostileTar(String name, byte type, String linkTarget) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            out.putArchiveEntry(new TarArchiveEntry("pkg/", TarArchiveEntry.LF_DIR, true));
            out.closeArchiveEntry();
            TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
            byte[] content = type == TarArchiveEntry.LF_NORMAL ? "escaped".getBytes(StandardCharsets.UTF_8) : new byte[0];
            entry.setSize(content.length);
            if (linkTarget != null) {
                entry.setLinkName(linkTarget);
            }
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] get(String repository, String reference) throws IOException {
        Request request = new Request.Builder().url(registry.url() + "/v2/" + repository + "/manifests/" + reference)
                .header("Accept", MediaTypes.OCI_INDEX + ", " + MediaTypes.OCI_MANIFEST).build();
        try (Response r = HTTP.newCall(request).execute()) {
            assertEquals(200, r.code(), "GET " + repository + "/manifests/" + reference);
            return r.body().bytes();
        }
    }

    private static byte[] getBlob(String repository, String digest) throws IOException {
        try (Response r = HTTP.newCall(new Request.Builder().url(registry.url() + "/v2/" + repository + "/blobs/" + digest).build()).execute()) {
            assertEquals(200, r.code(), "GET blob " + digest);
            return r.body().bytes();
        }
    }

    private static String esc(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
