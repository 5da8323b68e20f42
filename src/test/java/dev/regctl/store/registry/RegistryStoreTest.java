package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry store against replayed answers: pagination, digest checks, error bodies. */
class RegistryStoreTest {
    private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:"
            + "a".repeat(64) + "\",\"size\":2},\"layers\":[]}";

    private ScriptedRegistry registry;
    private MockWebServer server;
    private RegistryClient client;

    @BeforeEach
    void start() {
        registry = ScriptedRegistry.start();
        server = registry.server();
        client = registry.client();
    }

    @AfterEach
    void stop() throws IOException {
        registry.close();
    }

    private RegistryStore store() {
        return registry.store("team/app");
    }

    @Test
    void followsEveryTagsPage() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"name\":\"team/app\",\"tags\":[\"a\",\"b\"]}")
                .addHeader("Link", "</v2/team/app/tags/list?last=b&n=2>; rel=\"next\""));
        server.enqueue(new MockResponse().setBody("{\"name\":\"team/app\",\"tags\":[\"c\"]}"));
        assertEquals(List.of("a", "b", "c"), store().listTags());
        server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertEquals("/v2/team/app/tags/list?last=b&n=2", second.getPath());
    }

    @Test
    void manifestDigestIsComputedFromTheBytes() {
        server.enqueue(new MockResponse().setBody(MANIFEST).addHeader("Content-Type", MediaTypes.OCI_MANIFEST));
        RawManifest m = store().fetchManifest("v1");
        assertEquals(Digest.sha256(MANIFEST.getBytes(StandardCharsets.UTF_8)), m.digest());
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    }

    @Test
    void aChunkedManifestAnswerIsNotReadPastTheLimit() {
        // No Content-Length, and far more than 4 MiB: the server gives up half way, which a reader that
        // stops after the limit never notices.
        okio.Buffer huge = new okio.Buffer().write(new byte[10 * 1024 * 1024]);
        server.enqueue(new MockResponse().setChunkedBody(huge, 64 * 1024)
                .addHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        RegctlException e = assertThrows(RegctlException.class, () -> store().fetchManifest("v1"));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().endsWith("manifest exceeds the 4 MiB limit"), e.getMessage());
    }

    @Test
    void aLyingDigestHeaderIsRefused() {
        server.enqueue(new MockResponse().setBody(MANIFEST).addHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .addHeader("Docker-Content-Digest", "sha256:" + "b".repeat(64)));
        RegctlException e = assertThrows(RegctlException.class, () -> store().fetchManifest("v1"));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
    }

    @Test
    void bytesThatDoNotMatchTheRequestedDigestAreRefused() {
        server.enqueue(new MockResponse().setBody(MANIFEST).addHeader("Content-Type", MediaTypes.OCI_MANIFEST));
        String other = "sha256:" + "c".repeat(64);
        RegctlException e = assertThrows(RegctlException.class, () -> store().fetchManifest(other));
        assertTrue(e.getMessage().contains("asked for " + other), e.getMessage());
    }

    @Test
    void registryErrorCodeAndMessageReachTheUser() {
        server.enqueue(new MockResponse().setResponseCode(404).setBody(
                "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"v9\"}}]}"));
        RegistryException e = assertThrows(RegistryException.class, () -> store().fetchManifest("v9"));
        assertEquals(RegctlException.Kind.NOT_FOUND, e.kind());
        assertEquals("MANIFEST_UNKNOWN", e.code());
        assertTrue(e.getMessage().contains("MANIFEST_UNKNOWN: manifest unknown"), e.getMessage());
    }

    @Test
    void deleteDisabledIsUnsupported() {
        server.enqueue(new MockResponse().setResponseCode(405).setBody(
                "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"The operation is unsupported.\"}]}"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> store().deleteManifest(Digest.parse("sha256:" + "d".repeat(64))));
        assertEquals(RegctlException.Kind.UNSUPPORTED, e.kind());
    }

    @Test
    void catalogMissingIsUnsupported() {
        server.enqueue(new MockResponse().setResponseCode(404).setBody("404 page not found"));
        RegctlException e = assertThrows(RegctlException.class,
                () -> new CatalogEndpoint(client).list(r -> true, 0));
        assertEquals(RegctlException.Kind.UNSUPPORTED, e.kind());
    }

    @Test
    void catalogLimitStopsPaging() {
        server.enqueue(new MockResponse().setBody("{\"repositories\":[\"a\",\"b\",\"c\"]}")
                .addHeader("Link", "</v2/_catalog?last=c&n=3>; rel=\"next\""));
        assertEquals(List.of("a", "b"), new CatalogEndpoint(client).list(r -> true, 2));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void catalogPageSizeAboveTheRegistryMaximumFallsBackToItsDefault() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(400).setBody(
                "{\"errors\":[{\"code\":\"PAGINATION_NUMBER_INVALID\",\"message\":\"invalid number of results requested\",\"detail\":{\"n\":1000}}]}"));
        server.enqueue(new MockResponse().setBody("{\"repositories\":[\"a\",\"b\"]}")
                .addHeader("Link", "</v2/_catalog?last=b&n=2>; rel=\"next\""));
        server.enqueue(new MockResponse().setBody("{\"repositories\":[]}"));
        assertEquals(List.of("a", "b"), new CatalogEndpoint(client).list(r -> true, 0));
        assertEquals("/v2/_catalog?n=1000", server.takeRequest().getPath());
        assertEquals("/v2/_catalog", server.takeRequest().getPath());
        assertEquals("/v2/_catalog?last=b&n=2", server.takeRequest().getPath());
    }

    @Test
    void anUnusableUploadLocationIsAClearFailure() {
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "http://[bad"));
        dev.regctl.oci.Descriptor blob = new dev.regctl.oci.Descriptor("application/octet-stream",
                Digest.sha256(new byte[] {1}), 1);
        RegctlException e = assertThrows(RegctlException.class,
                () -> store().putBlob(blob, new java.io.ByteArrayInputStream(new byte[] {1})));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().contains("unusable Location"), e.getMessage());
    }

    @Test
    void headOfAMissingManifestIsEmpty() {
        server.enqueue(new MockResponse().setResponseCode(404));
        assertTrue(store().headManifest("nope").isEmpty());
    }

    private static final byte[] SMALL = "tiny layer".getBytes(StandardCharsets.UTF_8);
    private static final Descriptor SMALL_BLOB = new Descriptor(MediaTypes.OCI_LAYER_GZIP,
            Digest.sha256(SMALL), SMALL.length, null, null, null, null);

    private boolean putSmallUnlessPresent() {
        return store().putBlobUnlessPresent(SMALL_BLOB, () -> new java.io.ByteArrayInputStream(SMALL));
    }

    @Test
    void aBlobTheRepositoryHasIsFoundByMountingItFromItself() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(201));
        assertEquals(false, putSmallUnlessPresent());
        RecordedRequest mount = server.takeRequest();
        assertEquals("POST", mount.getMethod());
        assertEquals("/v2/team/app/blobs/uploads/?mount=" + SMALL_BLOB.digest().toString().replace(":", "%3A") + "&from=team%2Fapp",
                mount.getPath());
        assertEquals(1, server.getRequestCount(), "nothing else was asked or sent");
    }

    @Test
    void aBlobTheRepositoryLacksGoesUpInTheSessionTheMountOpened() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u1?_state=x"));
        server.enqueue(new MockResponse().setResponseCode(201));
        assertEquals(true, putSmallUnlessPresent());
        server.takeRequest();
        RecordedRequest put = server.takeRequest();
        assertEquals("PUT", put.getMethod());
        assertEquals("/v2/team/app/blobs/uploads/u1?_state=x&digest=" + SMALL_BLOB.digest().toString().replace(":", "%3A"), put.getPath());
        assertEquals("tiny layer", put.getBody().readUtf8());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void aRegistryThatRefusesTheMountIsAskedTheUsualWay() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(404)
                .setBody("{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known\"}]}"));
        server.enqueue(new MockResponse().setResponseCode(404));
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u2"));
        server.enqueue(new MockResponse().setResponseCode(201));
        assertEquals(true, putSmallUnlessPresent());
        assertEquals("POST", server.takeRequest().getMethod());
        assertEquals("HEAD", server.takeRequest().getMethod());
        assertEquals("/v2/team/app/blobs/uploads/", server.takeRequest().getPath());
        assertEquals("PUT", server.takeRequest().getMethod());
    }

    @Test
    void aMountAnsweredWithoutASessionIsAskedTheUsualWay() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202)); // no Location
        server.enqueue(new MockResponse().setResponseCode(200)); // HEAD: present
        assertEquals(false, putSmallUnlessPresent());
        assertEquals("POST", server.takeRequest().getMethod());
        assertEquals("HEAD", server.takeRequest().getMethod());
    }

    @Test
    void aSessionTheMountOpenedIsCancelledWhenTheSourceCannotBeOpened() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u3"));
        server.enqueue(new MockResponse().setResponseCode(204));
        RegctlException e = assertThrows(RegctlException.class, () -> store().putBlobUnlessPresent(SMALL_BLOB, () -> {
            throw new RegctlException(RegctlException.Kind.FAILURE, "source gone");
        }));
        assertEquals("source gone", e.getMessage());
        server.takeRequest();
        RecordedRequest cancel = server.takeRequest();
        assertEquals("DELETE /v2/team/app/blobs/uploads/u3", cancel.getMethod() + " " + cancel.getPath());
    }
    /** A blob larger than any chunk regctl ever sent (64 MiB before): zeros, opened afresh on each call. */
    private static final int LARGE = 72 * 1024 * 1024;

    private static Descriptor largeBlob() {
        return new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(new byte[LARGE]), LARGE);
    }

    @Test
    void aLargeBlobGoesUpInOneStreamedPatch() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u1"));
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u1?s=2")
                .addHeader("Range", "0-" + (LARGE - 1)));
        server.enqueue(new MockResponse().setResponseCode(201));
        int[] opened = {0};
        assertTrue(store().putBlobUnlessPresent(largeBlob(), () -> {
            opened[0]++;
            return new ByteArrayInputStream(new byte[LARGE]);
        }));
        assertEquals("POST", server.takeRequest().getMethod());
        RecordedRequest patch = server.takeRequest();
        assertEquals("PATCH", patch.getMethod());
        assertEquals(LARGE, patch.getBodySize());
        assertEquals("0-" + (LARGE - 1), patch.getHeader("Content-Range"));
        RecordedRequest put = server.takeRequest();
        assertEquals("PUT", put.getMethod());
        assertEquals(0, put.getBodySize());
        assertEquals(3, server.getRequestCount());
        assertEquals(1, opened[0]);
    }

    @Test
    void aRegistryThatRefusesTheWholeBodyGetsItInChunksFromAFreshSession() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u1"));
        server.enqueue(new MockResponse().setResponseCode(413).setBody("<html>413 Request Entity Too Large</html>"));
        server.enqueue(new MockResponse().setResponseCode(204)); // DELETE of the refused session
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u2"));
        long chunk = BlobsEndpoint.CHUNK;
        for (long end = chunk; end < LARGE + chunk; end += chunk) {
            server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u2")
                    .addHeader("Range", "0-" + (Math.min(end, LARGE) - 1)));
        }
        server.enqueue(new MockResponse().setResponseCode(201));
        int[] opened = {0};
        assertTrue(store().putBlobUnlessPresent(largeBlob(), () -> {
            opened[0]++;
            return new ByteArrayInputStream(new byte[LARGE]);
        }));
        assertEquals(2, opened[0], "the content is read again from the start");
        assertEquals("POST", server.takeRequest().getMethod());
        assertEquals("PATCH", server.takeRequest().getMethod());
        assertEquals("DELETE /v2/team/app/blobs/uploads/u1", line(server.takeRequest()));
        assertEquals("POST /v2/team/app/blobs/uploads/", line(server.takeRequest()));
        long sent = 0;
        while (sent < LARGE) {
            RecordedRequest patch = server.takeRequest();
            assertEquals("PATCH /v2/team/app/blobs/uploads/u2", line(patch));
            assertEquals(sent + "-" + (Math.min(sent + chunk, LARGE) - 1), patch.getHeader("Content-Range"));
            sent += patch.getBodySize();
        }
        assertEquals(LARGE, sent);
        assertEquals("PUT", server.takeRequest().getMethod());
    }

    @Test
    void aStreamThatCannotBeReadAgainFailsWithTheReason() {
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u1"));
        server.enqueue(new MockResponse().setResponseCode(413));
        server.enqueue(new MockResponse().setResponseCode(204));
        RegctlException e = assertThrows(RegctlException.class,
                () -> store().putBlob(largeBlob(), new ByteArrayInputStream(new byte[LARGE])));
        assertTrue(e.getMessage().contains("refused the blob in one request"), e.getMessage());
    }

    @Test
    void aSourceGivingFewBytesAtATimeStillGoesUpWhole() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u1"));
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u1"));
        server.enqueue(new MockResponse().setResponseCode(201));
        store().putBlob(largeBlob(), new ByteArrayInputStream(new byte[LARGE]) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 4099));
            }
        });
        server.takeRequest();
        RecordedRequest patch = server.takeRequest();
        assertEquals(LARGE, patch.getBodySize());
        assertTrue(java.util.Arrays.equals(new byte[LARGE], patch.getBody().readByteArray()));
    }

    @Test
    void aSourceThatEndsEarlySaysHowManyBytesWereMissing() {
        server.enqueue(new MockResponse().setResponseCode(202).addHeader("Location", "/v2/team/app/blobs/uploads/u1"));
        server.enqueue(new MockResponse().setResponseCode(204));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> store().putBlob(largeBlob(), new ByteArrayInputStream(new byte[LARGE - 70_000])));
        String all = e + " / " + e.getCause();
        assertTrue(all.contains("ended 70000 bytes early"), all);
    }

    private static String line(RecordedRequest r) {
        return r.getMethod() + " " + r.getPath();
    }
}
