package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import dev.regctl.oci.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tag}, {@code manifest get|put} and {@code blob get|put} through the packaged launcher
 * against two real CNCF distribution registries, read back with skopeo and plain HTTP, and
 * checked in the registry's access log.
 */
@EnabledIfSystemProperty(named = "regctl.launcher", matches = ".+",
        disabledReason = "an integration test: run by failsafe (mvn verify), which packages the launcher first")
class ComposeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Skopeo SKOPEO = Skopeo.anonymous();

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer one;
    @AutoClose
    static RegistryServer two;
    @AutoClose
    static Launcher regctl;

    private static LayoutImage image;

    @BeforeAll
    static void start() {
        one = RegistryServer.open().start();
        two = RegistryServer.open().start();
        regctl = Launcher.create();
        Path layout = work.resolve("layout");
        image = TestImages.singleImage(layout, "v1", 2, 4096, "linux/amd64", 11L);
        TestImages.push(layout, "v1", one, "app:v1");
    }

    private static String at(RegistryServer registry, String reference) {
        return registry.host() + "/" + reference;
    }

    private static Launcher.Result ok(Launcher.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    @Test
    void tagPutsTheManifestUnderEachTagWithoutOneBlobRequest() throws IOException {
        long blobRequestsBefore = blobRequests(one, "app");
        long putsBefore = one.countRequests("PUT", "/v2/app/manifests/.*");

        Launcher.Result r = ok(regctl.run("tag", at(one, "app:v1"), "1.0.0", "stable"));

        assertEquals(List.of(at(one, "app:1.0.0"), at(one, "app:stable")), r.stdoutLines());
        assertEquals(blobRequestsBefore, blobRequests(one, "app"), "tag requested a blob:\n" + one.requests());
        assertEquals(putsBefore + 2, one.countRequests("PUT", "/v2/app/manifests/.*"));
        byte[] original = SKOPEO.inspectRaw(one.docker("app:v1"));
        assertArrayEquals(original, SKOPEO.inspectRaw(one.docker("app:1.0.0")));
        assertArrayEquals(original, SKOPEO.inspectRaw(one.docker("app:stable")));

        Launcher.Result byDigest = ok(regctl.run("-o", "json", "tag", at(one, "app@" + image.digest()), "pinned"));
        JsonNode json = JSON.readTree(byDigest.stdout());
        assertEquals(image.digest(), json.path("digest").asText(), byDigest.stdoutText());
        assertEquals(List.of("pinned"), List.of(json.path("tags").get(0).asText()));
        assertArrayEquals(original, SKOPEO.inspectRaw(one.docker("app:pinned")));
    }

    @Test
    void tagOfAMissingImageIsExitThreeAndTagsNothing() {
        Launcher.Result r = regctl.run("tag", at(one, "app:absent"), "never");
        assertEquals(3, r.exitCode(), r.toString());
        assertEquals(1, r.stderrLines().size(), r.stderr());
        assertFalse(SKOPEO.listTags(one.docker("app")).contains("never"));
    }

    @Test
    void manifestPutPushesBytesFromAnotherRegistryExactlyAsGiven() throws IOException {
        ok(regctl.run("copy", at(one, "app:v1"), at(two, "copied:v1")));
        byte[] served = ok(regctl.run("manifest", "get", at(one, "app:v1"))).stdout();
        assertArrayEquals(SKOPEO.inspectRaw(one.docker("app:v1")), served, "manifest get prints the bytes as served");
        // Other bytes of the same document: pushed as they are, they get their own digest.
        byte[] pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(JSON.readTree(served));
        assertNotEquals(Digest.sha256(served), Digest.sha256(pretty));
        Path file = Files.write(work.resolve("pretty.json"), pretty);

        Launcher.Result r = ok(regctl.run("manifest", "put", at(two, "copied:pretty"), file.toString()));

        assertEquals(List.of(Digest.sha256(pretty).toString()), r.stdoutLines());
        assertArrayEquals(pretty, SKOPEO.inspectRaw(two.docker("copied:pretty")), "served byte for byte");
        assertArrayEquals(pretty, SKOPEO.inspectRaw(two.docker("copied@" + Digest.sha256(pretty))));
    }

    @Test
    void manifestPutOfAManifestWhoseBlobsAreMissingFailsInOneLine() {
        byte[] served = ok(regctl.run("manifest", "get", at(one, "app:v1"))).stdout();
        Launcher.Result r = regctl.call("manifest", "put", at(two, "empty:v1"), "-")
                .stdin(new String(served, StandardCharsets.UTF_8)).run();
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.stderrLines().size(), r.stderr());
        assertTrue(r.stderr().startsWith("regctl: push manifest empty:v1"), r.stderr());
    }

    @Test
    void blobGetFetchesAConfigVerifiedAndAMissingDigestIsExitThreeWithNoFile() throws IOException {
        JsonNode manifest = JSON.readTree(SKOPEO.inspectRaw(one.docker("app:v1")));
        String config = manifest.path("config").path("digest").asText();
        Path out = work.resolve("config.json");

        Launcher.Result r = ok(regctl.run("blob", "get", at(one, "app@" + config), out.toString()));

        assertEquals("", r.stdoutText());
        assertArrayEquals(SKOPEO.inspectConfigRaw(one.docker("app:v1")), Files.readAllBytes(out));
        assertArrayEquals(Files.readAllBytes(out), ok(regctl.run("blob", "get", at(one, "app@" + config))).stdout());

        Path missing = work.resolve("missing.bin");
        Launcher.Result absent = regctl.run("blob", "get", at(one, "app@" + Digest.sha256(new byte[] {7})), missing.toString());
        assertEquals(3, absent.exitCode(), absent.toString());
        assertEquals(1, absent.stderrLines().size(), absent.stderr());
        assertFalse(Files.exists(missing));
    }

    @Test
    void blobPutUploadsOnceAndARawGetServesTheBytes() throws IOException, InterruptedException {
        String text = "a blob pushed by hand\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);

        Launcher.Result r = ok(regctl.call("blob", "put", at(two, "blobs"), "-").stdin(text).run());

        assertEquals(List.of(digest.toString()), r.stdoutLines());
        HttpResponse<byte[]> get = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(two.url() + "/v2/blobs/blobs/" + digest)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, get.statusCode());
        assertArrayEquals(bytes, get.body());

        long uploads = two.countRequests("PUT", "/v2/blobs/blobs/uploads/.*");
        Path file = Files.write(work.resolve("blob.txt"), bytes);
        Launcher.Result again = ok(regctl.run("-o", "json", "blob", "put", at(two, "blobs"), file.toString()));
        assertEquals(true, JSON.readTree(again.stdout()).path("present").asBoolean(), again.stdoutText());
        assertEquals(uploads, two.countRequests("PUT", "/v2/blobs/blobs/uploads/.*"), "a blob the registry has is not sent");
    }

    /** What {@code crane}/regclient users do with a layer another repository has: link it, send nothing. */
    @Test
    void blobPutWithMountFromMountsTheBlobAndUploadsNothing() throws IOException, InterruptedException {
        byte[] bytes = "a blob mounted, not sent again\n".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        Path file = Files.write(work.resolve("mounted.txt"), bytes);
        ok(regctl.run("blob", "put", at(two, "mount/base"), file.toString()));

        Launcher.Result dry = ok(regctl.run("blob", "put", at(two, "mount/app"), file.toString(),
                "--mount-from", at(two, "mount/base"), "--dry-run"));
        assertTrue(dry.stderr().contains("would mount " + digest + " from mount/base"), dry.toString());

        Launcher.Result r = ok(regctl.run("-o", "json", "blob", "put", at(two, "mount/app"), file.toString(),
                "--mount-from", at(two, "mount/base")));

        JsonNode json = JSON.readTree(r.stdout());
        assertEquals(digest.toString(), json.path("digest").asText(), r.stdoutText());
        assertEquals("mount/base", json.path("mountedFrom").asText(), r.stdoutText());
        List<RegistryServer.Request> toApp = two.requests().stream()
                .filter(q -> q.uri().startsWith("/v2/mount/app/blobs/")).toList();
        assertTrue(toApp.stream().anyMatch(q -> q.method().equals("POST") && q.status() == 201
                && q.uri().contains("mount=" + digest.toString().replace(":", "%3A")) && q.uri().contains("from=mount%2Fbase")),
                toApp.toString());
        assertTrue(toApp.stream().noneMatch(q -> q.method().equals("PUT") || q.method().equals("PATCH")),
                "mounted, so no byte of it was sent: " + toApp);
        HttpResponse<byte[]> get = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(two.url() + "/v2/mount/app/blobs/" + digest)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(bytes, get.body());

        Launcher.Result elsewhere = regctl.run("blob", "put", at(two, "mount/app"), file.toString(),
                "--mount-from", at(one, "mount/base"));
        assertEquals(2, elsewhere.exitCode(), elsewhere.toString());
        assertEquals(1, elsewhere.stderrLines().size(), elsewhere.stderr());
    }

    private static long blobRequests(RegistryServer registry, String repository) {
        return registry.requests().stream().filter(q -> q.uri().startsWith("/v2/" + repository + "/blobs/")).count();
    }
}
