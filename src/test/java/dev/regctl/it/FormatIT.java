package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.cli.InProcessRun;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import dev.regctl.oci.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copy --format} against a real CNCF distribution registry, with skopeo reading what
 * regctl wrote: Docker schema 2 images (most of Docker Hub) into OCI layouts skopeo, buildah and
 * podman can look up by tag, and OCI images into a registry as Docker schema 2.
 */
class FormatIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer registry;

    private static Path noCredentials;
    private static LayoutImage docker;
    private static LayoutImage dockerList;
    private static LayoutImage oci;
    private static final Skopeo skopeo = Skopeo.anonymous();

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.open().start();
        noCredentials = Files.createDirectories(work.resolve("docker-config-empty"));
        Path fixtures = work.resolve("fixtures");
        docker = TestImages.singleImage(fixtures, "docker", 2, 4096, "linux/amd64", 21L, TestImages.Format.DOCKER);
        dockerList = TestImages.multiPlatformIndex(fixtures, "list", List.of("linux/amd64", "linux/arm64/v8"), 22L,
                TestImages.Format.DOCKER);
        oci = TestImages.singleImage(work.resolve("fixtures-oci"), "oci", 2, 4096, "linux/arm64/v8", 23L);
        TestImages.push(fixtures, "docker", registry, "src/app:docker");
        TestImages.push(fixtures, "list", registry, "src/app:list");
        TestImages.push(oci.dir(), "oci", registry, "src/app:oci");
    }

    /** regctl in this JVM, with an empty docker config so no developer credential leaks in; it must succeed. */
    private static InProcessRun regctl(String... args) {
        InProcessRun run = InProcessRun.of(noCredentials, args);
        assertEquals(0, run.exit(), "exit status; stderr: " + run.err());
        return run;
    }

    private static String ref(String repositoryAndTag) {
        return registry.host() + "/" + repositoryAndTag;
    }

    private static JsonNode json(byte[] bytes) throws IOException {
        return JSON.readTree(bytes);
    }

    @Test
    void aDockerImageWrittenAsOciIsReadBySkopeoByTag() throws IOException {
        Path layout = work.resolve("as-oci");

        InProcessRun r = regctl("copy", "-o", "json", "--format", "oci", ref("src/app:docker"), "oci:" + layout + ":v1");

        assertEquals("", r.err(), "converted: no note");
        JsonNode result = JSON.readTree(r.out());
        assertTrue(result.path("digestChanged").asBoolean());
        assertEquals(docker.digest(), result.path("images").get(0).path("sourceDigest").asText());
        JsonNode manifest = json(skopeo.inspectRaw("oci:" + layout + ":v1"));
        assertEquals(MediaTypes.OCI_MANIFEST, manifest.path("mediaType").asText());
        assertEquals(MediaTypes.OCI_CONFIG, manifest.path("config").path("mediaType").asText());
        JsonNode source = json(skopeo.inspectRaw(registry.docker("src/app:docker")));
        assertEquals(source.path("config").path("digest"), manifest.path("config").path("digest"), "config unchanged");
        for (int i = 0; i < 2; i++) {
            assertEquals(MediaTypes.OCI_LAYER_GZIP, manifest.path("layers").get(i).path("mediaType").asText());
            assertEquals(source.path("layers").get(i).path("digest"), manifest.path("layers").get(i).path("digest"));
        }
        // skopeo reads every blob, checking each digest, on its way out of the layout.
        Path dir = work.resolve("as-oci-dir");
        skopeo.copy("oci:" + layout + ":v1", "dir:" + dir);
        assertTrue(Files.exists(dir.resolve(manifest.path("config").path("digest").asText().substring("sha256:".length()))));
    }

    @Test
    void aDockerManifestListWrittenAsOciIsAnIndexOfOciImages() throws IOException {
        Path archive = work.resolve("list.tar");

        regctl("copy", "--format", "oci", ref("src/app:list"), "oci-archive:" + archive + ":list");

        JsonNode index = json(skopeo.inspectRaw("oci-archive:" + archive + ":list"));
        assertEquals(MediaTypes.OCI_INDEX, index.path("mediaType").asText());
        assertEquals(2, index.path("manifests").size());
        for (JsonNode entry : index.path("manifests")) {
            assertEquals(MediaTypes.OCI_MANIFEST, entry.path("mediaType").asText());
            assertFalse(dockerList.children().contains(entry.path("digest").asText()), "children converted: new digests");
        }
        skopeo.copy("oci-archive:" + archive + ":list", registry.docker("from-archive/app:list"), "--all",
                "--preserve-digests");
        JsonNode arm = skopeo.inspectConfig(registry.docker("from-archive/app:list"), "--override-arch", "arm64");
        assertEquals("arm64", arm.path("architecture").asText());
    }

    @Test
    void withoutFormatTheLayoutKeepsTheDockerTypesAndSaysSo() throws IOException {
        Path layout = work.resolve("exact");

        InProcessRun r = regctl("copy", ref("src/app:docker"), "oci:" + layout + ":v1");

        assertEquals(List.of("regctl: note: oci:" + layout + ":v1 gets Docker media types (" + MediaTypes.DOCKER_MANIFEST
                + "), whose index.json entries skopeo, buildah and podman skip when they look a tag up; --format oci"
                + " converts them (new digests)"), r.err().lines().toList());
        assertTrue(r.out().contains(" " + docker.digest() + " ("), "digest-exact: " + r.out());
        JsonNode entry = json(Files.readAllBytes(layout.resolve("index.json"))).path("manifests").get(0);
        assertEquals(MediaTypes.DOCKER_MANIFEST, entry.path("mediaType").asText());
    }

    @Test
    void anOciImageWrittenAsDockerSchema2IsReadBySkopeoAsSuch() throws IOException {
        InProcessRun r = regctl("copy", "--format", "v2s2", ref("src/app:oci"), ref("as-docker/app:v1"));

        JsonNode manifest = json(skopeo.inspectRaw(registry.docker("as-docker/app:v1")));
        assertEquals(MediaTypes.DOCKER_MANIFEST, manifest.path("mediaType").asText());
        assertEquals(MediaTypes.DOCKER_CONFIG, manifest.path("config").path("mediaType").asText());
        assertEquals(MediaTypes.DOCKER_LAYER_GZIP, manifest.path("layers").get(0).path("mediaType").asText());
        assertTrue(r.out().contains("written as Docker schema 2 with a new digest, the source's is " + oci.digest()), r.out());
        assertEquals("arm64", skopeo.inspectConfig(registry.docker("as-docker/app:v1")).path("architecture").asText());
        // skopeo pulls it whole, verifying every blob against the converted manifest.
        skopeo.copy(registry.docker("as-docker/app:v1"), "dir:" + work.resolve("as-docker-dir"));

        InProcessRun again = regctl("copy", "--format", "v2s2", ref("src/app:oci"), ref("as-docker/app:v1"));
        assertTrue(again.out().contains("(0 blobs uploaded, 0 mounted, 0 skipped"), "a rerun finds it all: " + again.out());
    }
}
