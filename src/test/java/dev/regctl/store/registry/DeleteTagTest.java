package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Removing one tag from a registry, against scripted answers that mimic distribution 2.8 (no
 * DELETE by tag), an OCI 1.1 registry (DELETE by tag) and a registry with deletes off.
 */
class DeleteTagTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGINAL = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:"
            + "a".repeat(64) + "\",\"size\":2},\"layers\":[]}";
    private static final String EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    private static final String UNSUPPORTED = "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"The operation is unsupported.\"}]}";

    private ScriptedRegistry registry;
    private MockWebServer server;
    private RegistryStore store;

    @BeforeEach
    void start() {
        registry = ScriptedRegistry.start();
        server = registry.server();
        store = registry.store("team/app");
    }

    @AfterEach
    void stop() throws IOException {
        registry.close();
    }

    private static MockResponse error(int status, String body) {
        return new MockResponse().setResponseCode(status).setBody(body);
    }

    private static MockResponse original() {
        return new MockResponse().setBody(ORIGINAL).addHeader("Content-Type", MediaTypes.OCI_MANIFEST);
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    private static String line(RecordedRequest r) {
        return r.getMethod() + " " + r.getPath();
    }

    @Test
    void aRegistryThatDeletesTagsByNameNeedsOneRequest() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202));
        store.deleteTag("v1");
        assertEquals(List.of("DELETE /v2/team/app/manifests/v1"), requests().stream().map(DeleteTagTest::line).toList());
    }

    @Test
    void otherwiseAUniquePlaceholderTakesTheTagAndIsDeletedByDigest() throws Exception {
        server.enqueue(error(400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"provided digest did not match uploaded content\"}]}"));
        server.enqueue(original());
        server.enqueue(error(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"));
        server.enqueue(new MockResponse().setResponseCode(404)); // HEAD of the empty blob
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u1"));
        server.enqueue(new MockResponse().setResponseCode(201).addHeader("Docker-Content-Digest", EMPTY_DIGEST));
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(new MockResponse().setResponseCode(202));

        store.deleteTag("v1");

        List<RecordedRequest> rs = requests();
        assertEquals(8, rs.size(), rs.stream().map(DeleteTagTest::line).toList().toString());
        assertEquals("DELETE /v2/team/app/manifests/v1", line(rs.get(0)));
        assertEquals("GET /v2/team/app/manifests/v1", line(rs.get(1)));
        assertTrue(line(rs.get(2)).matches("DELETE /v2/team/app/manifests/sha256:[0-9a-f]{64}"), line(rs.get(2)));
        assertEquals("HEAD /v2/team/app/blobs/" + EMPTY_DIGEST, line(rs.get(3)));
        assertEquals("POST /v2/team/app/blobs/uploads/", line(rs.get(4)));
        assertEquals("PUT /v2/team/app/blobs/uploads/u1?digest=" + EMPTY_DIGEST.replace(":", "%3A"), line(rs.get(5)));
        assertEquals("{}", rs.get(5).getBody().readUtf8());

        RecordedRequest put = rs.get(6);
        assertEquals("PUT /v2/team/app/manifests/v1", line(put));
        byte[] placeholder = put.getBody().readByteArray();
        JsonNode m = JSON.readTree(placeholder);
        assertEquals(MediaTypes.OCI_MANIFEST, m.path("mediaType").asText());
        assertEquals(EMPTY_DIGEST, m.path("config").path("digest").asText());
        assertEquals("application/vnd.oci.empty.v1+json", m.path("config").path("mediaType").asText());
        assertEquals(EMPTY_DIGEST, m.path("layers").path(0).path("digest").asText());
        assertTrue(m.path("annotations").path(TagRemoval.NONCE_ANNOTATION).asText().length() >= 32);

        assertEquals("DELETE /v2/team/app/manifests/" + Digest.sha256(placeholder), line(rs.get(7)),
                "the placeholder is deleted by its own digest, never the original's");
        assertNotEquals(Digest.sha256(ORIGINAL.getBytes(StandardCharsets.UTF_8)), Digest.sha256(placeholder));
    }

    @Test
    void placeholdersAreUniqueEvenForTheSameTag() {
        var empty = new dev.regctl.oci.Descriptor("application/vnd.oci.empty.v1+json", Digest.parse(EMPTY_DIGEST), 2);
        assertNotEquals(TagRemoval.throwaway("v1", empty).digest(), TagRemoval.throwaway("v1", empty).digest());
    }

    @Test
    void withDeletesOffTheTagIsNeverTouched() throws Exception {
        server.enqueue(error(405, UNSUPPORTED));
        server.enqueue(original());
        server.enqueue(error(405, UNSUPPORTED));

        RegctlException e = assertThrows(RegctlException.class, () -> store.deleteTag("v1"));
        assertEquals(RegctlException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().startsWith("delete tag team/app:v1: "), e.getMessage());
        assertTrue(e.hint().contains("REGISTRY_STORAGE_DELETE_ENABLED=true"), e.hint());
        List<String> lines = requests().stream().map(DeleteTagTest::line).toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("PUT")), lines.toString());
    }

    @Test
    void whenThePlaceholderCannotBeDeletedTheTagIsPutBack() throws Exception {
        server.enqueue(error(400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}"));
        server.enqueue(original());
        server.enqueue(error(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}"));
        server.enqueue(new MockResponse().setResponseCode(200).addHeader("Content-Length", "2")); // the empty blob is there
        server.enqueue(new MockResponse().setResponseCode(201));
        server.enqueue(error(403, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}"));
        server.enqueue(new MockResponse().setResponseCode(201));

        RegctlException e = assertThrows(RegctlException.class, () -> store.deleteTag("v1"));
        assertEquals(RegctlException.Kind.AUTH, e.kind());
        String original = Digest.sha256(ORIGINAL.getBytes(StandardCharsets.UTF_8)).toString();
        assertTrue(e.getMessage().endsWith("(tag v1 is back on " + original + ")"), e.getMessage());
        List<RecordedRequest> rs = requests();
        RecordedRequest restore = rs.get(rs.size() - 1);
        assertEquals("PUT /v2/team/app/manifests/v1", line(restore));
        assertEquals(ORIGINAL, restore.getBody().readUtf8(), "the original bytes, so the digest is the same");
    }

    @Test
    void deleteDisabledCarriesTheHintForManifestsToo() {
        server.enqueue(error(405, UNSUPPORTED));
        RegctlException e = assertThrows(RegctlException.class,
                () -> store.deleteManifest(Digest.parse("sha256:" + "d".repeat(64))));
        assertEquals(RegctlException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.hint().contains("REGISTRY_STORAGE_DELETE_ENABLED=true"), e.hint());
    }
}
