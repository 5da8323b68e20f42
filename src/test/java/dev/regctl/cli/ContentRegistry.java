package dev.regctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * One repository's manifests, tags and blobs served read-only over the distribution API on
 * loopback, for commands that only read. Close it to stop the server.
 */
final class ContentRegistry extends Dispatcher implements AutoCloseable {
    static final String REPOSITORY = "app";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** MockWebServer logs the TLS hello regctl first tries on loopback as a broken request. */
    private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

    private final Map<String, RawManifest> manifests = new ConcurrentHashMap<>();
    private final List<String> tags = new ArrayList<>();
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    private final MockWebServer server = new MockWebServer();
    private volatile long blobDelayMillis;

    ContentRegistry() {
        MOCK_LOG.setLevel(Level.OFF);
        server.setDispatcher(this);
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT/app}, the repository as a command names it. */
    String repository() {
        return "127.0.0.1:" + server.getPort() + "/" + REPOSITORY;
    }

    Descriptor blob(String mediaType, byte[] bytes) {
        Descriptor d = new Descriptor(mediaType, Digest.sha256(bytes), bytes.length);
        blobs.put(d.digest(), bytes);
        return d;
    }

    /** Serves the manifest by digest and, when {@code tag} is not null, by tag (listed in that order). */
    RawManifest manifest(RawManifest manifest, String tag) {
        manifests.put(manifest.digest().toString(), manifest);
        if (tag != null) {
            manifests.put(tag, manifest);
            tags.add(tag);
        }
        return manifest;
    }

    /** Blob bodies start only after {@code delay}: a copy that takes a while. */
    void slowBlobs(java.time.Duration delay) {
        blobDelayMillis = delay.toMillis();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse r = answer(request);
        if (request.getMethod().equals("HEAD") && r.getStatus().contains(" 404")) {
            // MockWebServer would write the error body after a HEAD answer, breaking the kept-alive connection.
            return new MockResponse().setStatus(r.getStatus());
        }
        return r;
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getPath();
        String prefix = "/v2/" + REPOSITORY + "/";
        if (path.equals("/v2/")) {
            return new MockResponse();
        }
        if (path.startsWith("/v2/_catalog")) {
            return json(Map.of("repositories", List.of(REPOSITORY)));
        }
        if (path.startsWith(prefix + "tags/list")) {
            return json(Map.of("name", REPOSITORY, "tags", tags));
        }
        if (path.startsWith(prefix + "manifests/")) {
            RawManifest m = manifests.get(path.substring((prefix + "manifests/").length()));
            return m == null ? error("MANIFEST_UNKNOWN", "manifest unknown")
                    : body(request, m.bytes(), m.mediaType(), m.digest().toString());
        }
        if (path.startsWith(prefix + "blobs/")) {
            String digest = path.substring((prefix + "blobs/").length());
            byte[] b = blobs.get(Digest.parse(digest));
            return b == null ? error("BLOB_UNKNOWN", "blob unknown to registry")
                    : body(request, b, "application/octet-stream", digest)
                            .setBodyDelay(blobDelayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return error("NAME_UNKNOWN", "repository name not known to registry");
    }

    private static MockResponse body(RecordedRequest request, byte[] bytes, String contentType, String digest) {
        MockResponse r = new MockResponse().setHeader("Content-Type", contentType).setHeader("Docker-Content-Digest", digest);
        return request.getMethod().equals("HEAD") ? r.setHeader("Content-Length", bytes.length)
                : r.setBody(new Buffer().write(bytes));
    }

    private static MockResponse json(Object value) {
        try {
            return new MockResponse().setHeader("Content-Type", "application/json").setBody(JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse error(String code, String message) {
        return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                .setBody("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}");
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
