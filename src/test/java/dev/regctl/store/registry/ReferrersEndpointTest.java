package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The referrers API where a registry has it, the {@code sha256-<hex>} tag where it answers 404. */
class ReferrersEndpointTest {
    private static final Digest SUBJECT = Digest.sha256("subject".getBytes(StandardCharsets.UTF_8));
    private static final String SIG = "sha256:" + "1".repeat(64);
    private static final String SBOM = "sha256:" + "2".repeat(64);

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
    void stop() throws Exception {
        registry.close();
    }

    @Test
    void readsEveryPageOfTheReferrersApi() throws Exception {
        server.enqueue(index(entry(SIG, "application/vnd.example.sig"))
                .addHeader("Link", "</v2/team/app/referrers/" + SUBJECT + "?n=1&last=x>; rel=\"next\""));
        server.enqueue(index(entry(SBOM, "application/spdx+json")));

        List<Descriptor> referrers = store.referrers(SUBJECT);

        assertEquals(List.of(SIG, SBOM), referrers.stream().map(d -> d.digest().toString()).toList());
        assertEquals("application/vnd.example.sig", referrers.get(0).artifactType());
        assertEquals("/v2/team/app/referrers/" + SUBJECT, server.takeRequest().getPath());
        assertEquals("/v2/team/app/referrers/" + SUBJECT + "?n=1&last=x", server.takeRequest().getPath());
    }

    @Test
    void withoutTheApiReadsTheTagSchemaIndex() throws Exception {
        // distribution 2.8: no route, plain-text 404.
        server.enqueue(new MockResponse().setResponseCode(404).setBody("404 page not found\n"));
        server.enqueue(index(entry(SIG, "application/vnd.example.sig")));

        assertEquals(List.of(SIG), store.referrers(SUBJECT).stream().map(d -> d.digest().toString()).toList());
        server.takeRequest();
        assertEquals("/v2/team/app/manifests/sha256-" + SUBJECT.hex(), server.takeRequest().getPath());
    }

    @Test
    void aCatchAllPageIsNotTakenForTheApi() throws Exception {
        server.enqueue(new MockResponse().addHeader("Content-Type", "text/html").setBody("<html>registry UI</html>"));
        server.enqueue(index(entry(SIG, "application/vnd.example.sig")));

        assertEquals(List.of(SIG), store.referrers(SUBJECT).stream().map(d -> d.digest().toString()).toList());
        server.takeRequest();
        assertEquals("/v2/team/app/manifests/sha256-" + SUBJECT.hex(), server.takeRequest().getPath());
    }

    @Test
    void withoutTheApiOrTheTagThereAreNone() {
        server.enqueue(new MockResponse().setResponseCode(404).setBody("404 page not found\n"));
        server.enqueue(new MockResponse().setResponseCode(404)
                .setBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"));
        assertEquals(List.of(), store.referrers(SUBJECT));
    }

    @Test
    void otherErrorsAreNotMistakenForAbsence() {
        server.enqueue(new MockResponse().setResponseCode(401)
                .setBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"));
        RegctlException e = assertThrows(RegctlException.class, () -> store.referrers(SUBJECT));
        assertEquals(RegctlException.Kind.AUTH, e.kind());
    }

    private static MockResponse index(String... entries) {
        return new MockResponse().addHeader("Content-Type", MediaTypes.OCI_INDEX)
                .setBody("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                        + String.join(",", entries) + "]}");
    }

    private static String entry(String digest, String artifactType) {
        return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + digest
                + "\",\"size\":300,\"artifactType\":\"" + artifactType + "\"}";
    }
}
