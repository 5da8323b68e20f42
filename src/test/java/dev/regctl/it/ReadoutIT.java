package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import dev.regctl.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code tags --long}, {@code inspect} and {@code digest} read from distribution 2.8 when
 * a tag's config blob is gone from its storage, when a manifest is an artifact with a subject,
 * and when {@code --platform} picks an image of an index; skopeo reads the same content back.
 */
class ReadoutIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BROKEN = "broken/app";
    private static final String ARTIFACTS = "artifacts/app";
    private static final String MULTI = "multi/app";

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer registry;
    @AutoClose
    static Launcher regctl;

    private static final Skopeo skopeo = Skopeo.anonymous();
    private static final OkHttpClient http = new OkHttpClient();
    private static LayoutImage v1;
    private static LayoutImage v2;
    private static LayoutImage v3;
    private static LayoutImage index;

    @BeforeAll
    static void seed() throws IOException {
        registry = RegistryServer.open().start();
        regctl = Launcher.create();
        Path oci = work.resolve("oci");
        v1 = TestImages.singleImage(oci, "v1", 1, 512, "linux/amd64", 31L);
        v2 = TestImages.singleImage(oci, "v2", 1, 512, "linux/arm64/v8", 32L);
        v3 = TestImages.singleImage(oci, "v3", 1, 512, "linux/s390x", 33L);
        for (LayoutImage image : List.of(v1, v2, v3)) {
            TestImages.push(oci, image.tag(), registry, BROKEN + ":" + image.tag());
        }
        TestImages.push(oci, "v1", registry, ARTIFACTS + ":v1");
        index = TestImages.multiPlatformIndex(work.resolve("multi"), "v1", List.of("linux/amd64", "linux/arm64/v8"));
        TestImages.push(index.dir(), "v1", registry, MULTI + ":v1");
    }

    @AfterAll
    static void closeClient() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private static String configOf(LayoutImage image) throws IOException {
        return JSON.readTree(Files.readAllBytes(image.blobPath(image.digest()))).path("config").path("digest").asText();
    }

    /** Deletes the blob's data file from the filesystem driver's storage, as a failed disk or a bad GC would. */
    private static void loseBlob(String digest) throws IOException {
        String hex = digest.substring("sha256:".length());
        Path data = registry.storageDir().resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2))
                .resolve(hex).resolve("data");
        Files.delete(data);
    }

    @Test
    void tagsLongPrintsTheReadableTagsAndOneLineForTheTagWhoseConfigIsGone() throws IOException {
        String lost = configOf(v2);
        assertNotEquals(configOf(v1), lost, "fixture sanity: v2 has a config of its own");
        assertNotEquals(configOf(v3), lost, "fixture sanity: v2 has a config of its own");
        loseBlob(lost);

        Launcher.Result text = regctl.run("tags", "--long", registry.host() + "/" + BROKEN);
        Launcher.Result json = regctl.run("tags", "--long", "-o", "json", registry.host() + "/" + BROKEN);

        assertEquals(1, text.exitCode(), text.toString());
        List<String> rows = text.stdoutLines();
        assertEquals(2, rows.size(), text.toString());
        assertTrue(rows.get(0).startsWith("v1\t" + v1.digest() + "\tlinux/amd64\t"), text.toString());
        assertTrue(rows.get(1).startsWith("v3\t" + v3.digest() + "\tlinux/s390x\t"), text.toString());
        assertEquals(1, text.stderrLines().size(), text.toString());
        assertTrue(text.stderrLines().get(0).startsWith("regctl: tags --long: v2: ")
                && text.stderrLines().get(0).contains(lost), text.toString());

        assertEquals(1, json.exitCode(), json.toString());
        JsonNode all = JSON.readTree(json.stdoutText());
        assertEquals(3, all.size(), json.toString());
        assertEquals(v1.digest(), all.get(0).get("digest").asText());
        assertTrue(all.get(1).get("digest").isNull() && all.get(1).get("error").asText().contains(lost), json.toString());
        assertEquals(v3.digest(), all.get(2).get("digest").asText());
        assertTrue(all.get(2).get("error").isNull(), json.toString());
    }

    @Test
    void inspectShowsAnArtifactsTypeSubjectAndAnnotations() throws IOException {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] sbom = "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\"}".getBytes(StandardCharsets.UTF_8);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("artifactType", "application/spdx+json");
        manifest.set("config", descriptor("application/vnd.oci.empty.v1+json", upload(empty), empty.length));
        manifest.putArray("layers").add(descriptor("application/spdx+json", upload(sbom), sbom.length));
        manifest.set("subject", descriptor(v1.mediaType(), v1.digest(), v1.size()));
        manifest.putObject("annotations").put("org.opencontainers.image.created", "2024-06-01T00:00:00Z")
                .put("dev.regctl.test", "sbom");
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        String digest = putManifest(bytes);
        String ref = registry.host() + "/" + ARTIFACTS + "@" + digest;
        assertArrayEquals(bytes, skopeo.inspectRaw(registry.docker(ARTIFACTS + "@" + digest)), "fixture sanity");

        Launcher.Result text = regctl.run("inspect", ref);
        Launcher.Result json = regctl.run("inspect", "-o", "json", ref);

        assertEquals(0, text.exitCode(), text.toString());
        List<String> lines = text.stdoutLines();
        assertTrue(lines.contains("Digest:     " + digest), text.toString());
        assertTrue(lines.contains("ArtifactType: application/spdx+json"), text.toString());
        assertTrue(lines.contains("Subject:    " + v1.digest()), text.toString());
        assertEquals(List.of("annotation dev.regctl.test=sbom", "annotation org.opencontainers.image.created=2024-06-01T00:00:00Z"),
                lines.stream().filter(l -> l.startsWith("annotation ")).toList());
        assertFalse(text.stdoutText().contains("Platform"), text.toString());
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode s = JSON.readTree(json.stdoutText());
        assertEquals("application/spdx+json", s.get("artifactType").asText());
        assertEquals(v1.digest(), s.get("subject").asText());
        assertEquals("sbom", s.get("annotations").get("dev.regctl.test").asText());
        assertFalse(s.has("platform"), json.toString());
    }

    @Test
    void digestAndInspectWithPlatformReadTheImageOfTheIndex() throws IOException {
        String ref = registry.host() + "/" + MULTI + ":v1";
        assertEquals(index.digest(), sha256(skopeo.inspectRaw(registry.docker(MULTI + ":v1"))), "fixture sanity");

        Launcher.Result own = regctl.run("digest", ref);
        Launcher.Result arm = regctl.run("digest", "--platform", "linux/arm64", ref);
        Launcher.Result inspect = regctl.run("inspect", "-o", "json", "--platform", "linux/amd64", ref);
        Launcher.Result none = regctl.run("digest", "--platform", "windows/amd64", ref);

        assertEquals(List.of(index.digest()), own.stdoutLines(), own.toString());
        assertEquals(List.of(index.children().get(1)), arm.stdoutLines(), arm.toString());
        assertEquals(index.children().get(0), JSON.readTree(inspect.stdoutText()).get("digest").asText(), inspect.toString());
        assertEquals(3, none.exitCode(), none.toString());
        assertTrue(none.stderr().contains("linux/amd64, linux/arm64/v8"), none.toString());
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest).put("size", size);
    }

    /** A monolithic upload: POST opens the session, one PUT with the digest sends the bytes; returns the digest. */
    private static String upload(byte[] bytes) {
        String digest = sha256(bytes);
        HttpUrl start = HttpUrl.get(registry.url() + "/v2/" + ARTIFACTS + "/blobs/uploads/");
        HttpUrl session = start.resolve(send(new Request.Builder().url(start).post(RequestBody.create(new byte[0], null)), 202)
                .header("Location"));
        send(new Request.Builder().url(session.newBuilder().addQueryParameter("digest", digest).build())
                .put(RequestBody.create(bytes, MediaType.get("application/octet-stream"))), 201);
        return digest;
    }

    private static String putManifest(byte[] bytes) {
        String digest = sha256(bytes);
        send(new Request.Builder().url(registry.url() + "/v2/" + ARTIFACTS + "/manifests/" + digest)
                .put(RequestBody.create(bytes, MediaType.get(MediaTypes.OCI_MANIFEST))), 201);
        return digest;
    }

    private static Response send(Request.Builder request, int expected) {
        Request built = request.build();
        try (Response response = http.newCall(built).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            assertEquals(expected, response.code(), built.method() + " " + built.url() + ": " + body);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.url(), e);
        }
    }
}
