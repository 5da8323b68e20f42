package dev.regctl.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
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
}
