package dev.regctl.cli;

import static dev.regctl.testing.ImageParts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's {@code -o json} document keeps its keys in the order docs/commands.md gives:
 * scripts that diff or hash the output must see the same bytes from identical runs.
 */
class JsonFieldOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final ContentRegistry registry = new ContentRegistry();
    private RawManifest image;

    @BeforeEach
    void image() {
        Descriptor config = registry.blob(MediaTypes.OCI_CONFIG,
                utf8("{\"os\":\"linux\",\"architecture\":\"amd64\",\"created\":\"2024-05-01T00:00:00Z\"}"));
        Descriptor layer = registry.blob(MediaTypes.OCI_LAYER_GZIP, utf8("layer"));
        image = registry.manifest(RawManifest.of(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(config) + ",\"layers\":[" + json(layer) + "]}"), null), "v1");
    }

    @AfterEach
    void stop() throws IOException {
        registry.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The keys of the document (of its first element when it is an array), in the order printed. */
    private List<String> keys(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("-o", "json", "--docker-config", tmp.resolve("docker").toString()));
        int exit = Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertEquals(ExitCodes.OK, exit, err::toString);
        JsonNode doc = JSON.readTree(out.toString());
        JsonNode object = doc.isArray() ? doc.get(0) : doc;
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private String layout() throws IOException {
        String dst = "oci:" + tmp.resolve("layout");
        keys("copy", registry.repository() + ":v1", dst + ":v1");
        return dst;
    }

    @Test
    void digest() throws IOException {
        assertEquals(List.of("reference", "digest"), keys("digest", registry.repository() + ":v1"));
    }

    @Test
    void login() throws IOException {
        assertEquals(List.of("registry", "status"),
                keys("login", registry.repository().split("/")[0], "-u", "u", "-p", "p"));
    }

    @Test
    void logout() throws IOException {
        assertEquals(List.of("registry", "removed"), keys("logout", registry.repository().split("/")[0]));
    }

    @Test
    void ref() throws IOException {
        assertEquals(List.of("registry", "repository", "tag", "digest", "familiar"), keys("ref", "localhost:5000/app:v1"));
    }

    @Test
    void tagsLong() throws IOException {
        assertEquals(List.of("tag", "digest", "mediaType", "platforms", "size", "created", "error"),
                keys("tags", "--long", registry.repository()));
    }

    @Test
    void inspect() throws IOException {
        assertEquals(List.of("name", "digest", "mediaType", "size"),
                keys("inspect", registry.repository() + ":v1").subList(0, 4));
    }

    @Test
    void referrers() throws IOException {
        assertEquals(List.of("digest", "mediaType", "artifactType", "size", "annotations", "kind", "tag", "referrers"),
                keys("referrers", registry.repository() + ":v1"));
    }

    @Test
    void copy() throws IOException {
        assertEquals(List.of("source", "destination", "digest", "digestChanged", "manifests"),
                keys("copy", registry.repository() + ":v1", "oci:" + tmp.resolve("copy") + ":v1").subList(0, 5));
        assertEquals(List.of("source", "destination", "dryRun", "digest", "digestChanged", "manifests", "blobs", "totals",
                "tags"), keys("copy", "--dry-run", registry.repository() + ":v1", "oci:" + tmp.resolve("plan") + ":v1"));
    }

    @Test
    void delete() throws IOException {
        assertEquals(List.of("repository", "digest", "tags", "manifest", "dryRun"),
                keys("delete", "--dry-run", layout() + ":v1"));
    }

    @Test
    void prune() throws IOException {
        assertEquals(List.of("tag", "digest", "created", "action", "reason"),
                keys("prune", "--dry-run", "--keep", "0", layout()));
    }
}
