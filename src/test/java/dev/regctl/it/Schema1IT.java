package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed schema 1 manifests as an old registry serves them: a distribution 2.8 registry with
 * {@code compatibility.schema1.enabled}, fed by {@code skopeo copy --format v2s1} (skopeo signs
 * them), which re-signs the manifest on every GET. Its digest is that of the signed payload.
 */
class Schema1IT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer old;
    @AutoClose
    static RegistryServer oldToo;
    @AutoClose
    static RegistryServer modern;
    @AutoClose
    static Launcher regctl;

    private static LayoutImage image;
    private static String digest;

    @BeforeAll
    static void seed() throws IOException {
        old = RegistryServer.open().schema1Enabled(true).start();
        oldToo = RegistryServer.open().schema1Enabled(true).start();
        modern = RegistryServer.open().start();
        regctl = Launcher.create();
        image = TestImages.singleImage(work.resolve("oci"), "v1", 2, 4096, "linux/arm64", 21L);
        Skopeo.anonymous().copy(image.ociReference(), old.docker("app:v1"), "--format", "v2s1");
        Answer answer = get(old, "app", "v1");
        assertEquals(SIGNED, answer.contentType(), "skopeo --format v2s1 pushes a signed schema 1 manifest");
        digest = answer.digest();
        assertNotNull(digest, "the registry announces the manifest's digest");
    }

    @Test
    void theDigestIsTheRegistrysThoughEveryGetIsSignedAnew() throws IOException {
        Answer first = get(old, "app", "v1");
        Answer second = get(old, "app", "v1");
        assertFalse(Arrays.equals(first.body(), second.body()), "the registry re-signs on every GET");
        assertEquals(digest, first.digest());
        assertEquals(digest, second.digest());

        assertEquals(List.of(digest), ok(regctl.run("digest", old.host() + "/app:v1")).stdoutLines());
        assertEquals(List.of(digest), ok(regctl.run("digest", old.host() + "/app@" + digest)).stdoutLines());
    }

    @Test
    void inspectShowsTheLayersWithTheirSizesAndTheArchitecture() throws IOException {
        JsonNode s = JSON.readTree(ok(regctl.run("inspect", "-o", "json", old.host() + "/app:v1")).stdout());
        assertEquals(digest, s.path("digest").asText());
        assertEquals(SIGNED, s.path("mediaType").asText());
        assertEquals("linux/arm64", s.path("platform").asText());
        List<String> layers = new ArrayList<>();
        long total = 0;
        for (JsonNode layer : s.path("layers")) {
            layers.add(layer.path("digest").asText());
            assertEquals(Files.size(image.blobPath(layer.path("digest").asText())), layer.path("size").asLong());
            total += layer.path("size").asLong();
        }
        assertEquals(ociLayers(), layers, "the image's layers, base first");
        assertEquals(total, s.path("layersSize").asLong());
    }

    @Test
    void tagsLongHasARowForTheSchema1Tag() throws IOException {
        JsonNode rows = JSON.readTree(ok(regctl.run("tags", "--long", "-o", "json", old.host() + "/app")).stdout());
        String text = rows.toString();
        assertTrue(text.contains(digest), text);
        assertTrue(text.contains("linux/arm64"), text);
    }

    @Test
    void aCopyToARegistryThatTakesSchema1KeepsTheDigest() throws IOException {
        Launcher.Result r = regctl.run("copy", old.host() + "/app:v1", oldToo.host() + "/copy:v1");
        assertEquals(0, r.exitCode(), r::toString);
        Answer copied = get(oldToo, "copy", "v1");
        assertEquals(SIGNED, copied.contentType());
        assertEquals(digest, copied.digest());
        assertEquals(List.of(digest), ok(regctl.run("digest", oldToo.host() + "/copy:v1")).stdoutLines());
    }

    @Test
    void aCopyToALayoutIsRefusedAndWritesNothing() throws IOException {
        Path layout = work.resolve("refused-layout");
        Launcher.Result r = regctl.run("copy", old.host() + "/app:v1", "oci:" + layout + ":v1");
        assertEquals(5, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("schema 1") || r.stderr().contains(SIGNED), r::toString);
        assertTrue(r.stderr().contains("--format v2s2"), () -> "a hint says how to get out: " + r);
        try (Stream<Path> files = Files.exists(layout) ? Files.walk(layout) : Stream.empty()) {
            assertEquals(List.of(), files.filter(f -> f.toString().contains("blobs") && Files.isRegularFile(f)).toList(),
                    "no blob is written");
        }
    }

    /**
     * A registry without schema 1 says so only when a manifest is pushed (distribution 2.8: 500
     * UNKNOWN), so it is asked with the manifest before any layer goes up: nothing is pushed.
     */
    @Test
    void aCopyToARegistryThatRefusesSchema1IsUnsupportedWithAHint() throws IOException {
        Launcher.Result r = regctl.run("copy", old.host() + "/app:v1", modern.host() + "/refused:v1");
        assertEquals(5, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("compatibility.schema1.enabled"), () -> "a hint names the setting: " + r);
        assertEquals(0, modern.requests().stream()
                .filter(q -> q.method().equals("PUT") && q.uri().startsWith("/v2/refused/manifests/") && q.status() < 300)
                .count(), "no manifest is stored");
        assertEquals(404, get(modern, "refused", "v1").status());
        assertEquals(0, modern.requests().stream().filter(q -> q.uri().startsWith("/v2/refused/blobs/uploads")).count(),
                () -> "no layer goes up: " + modern.requests());
    }

    private static List<String> ociLayers() throws IOException {
        JsonNode manifest = JSON.readTree(Files.readAllBytes(image.blobPath(image.digest())));
        List<String> layers = new ArrayList<>();
        manifest.path("layers").forEach(l -> layers.add(l.path("digest").asText()));
        return layers;
    }

    private static Launcher.Result ok(Launcher.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    /** One raw GET of a manifest, as any client sees it. */
    private record Answer(int status, String contentType, String digest, byte[] body) {
    }

    private static Answer get(RegistryServer registry, String repository, String reference) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(registry.url() + "/v2/" + repository + "/manifests/" + reference)
                .toURL().openConnection();
        c.setRequestProperty("Accept", SIGNED);
        try {
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                byte[] body = in == null ? new byte[0] : in.readAllBytes();
                return new Answer(status, c.getContentType(), c.getHeaderField("Docker-Content-Digest"), body);
            }
        } finally {
            c.disconnect();
        }
    }
}
