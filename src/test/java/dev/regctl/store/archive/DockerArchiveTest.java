package dev.regctl.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
                DockerArchiveImage image = DockerArchiveImage.read(archive, list.get(i), i + 1, digests);
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

    private static RawManifest manifest(String configType) {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + configType + "\",\"digest\":\"" + Digest.sha256(new byte[0]) + "\",\"size\":0},\"layers\":[]}";
        return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
    }
}
