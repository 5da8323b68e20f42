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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * One repository's manifests, tags and blobs served read-only over the distribution API on
 * loopback, for commands that only read, and as a source of content no real registry at hand
 * will store. Close it to stop the server.
 */
public final class ContentRegistry extends Dispatcher implements AutoCloseable {
    static final String REPOSITORY = "app";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** MockWebServer logs the TLS hello regctl first tries on loopback as a broken request. */
    private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

    private final Map<String, RawManifest> manifests = new ConcurrentHashMap<>();
    private final List<String> tags = new ArrayList<>();
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    private final MockWebServer server = new MockWebServer();
    private volatile long blobDelayMillis;
    private volatile CountDownLatch blobGate = new CountDownLatch(0);

    public ContentRegistry() {
        MOCK_LOG.setLevel(Level.OFF);
        server.setDispatcher(this);
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT/app}, the repository as a command names it. */
    public String repository() {
        return "127.0.0.1:" + server.getPort() + "/" + REPOSITORY;
    }

    public Descriptor blob(String mediaType, byte[] bytes) {
        Descriptor d = new Descriptor(mediaType, Digest.sha256(bytes), bytes.length);
        blobs.put(d.digest(), bytes);
        return d;
    }

    /** A blob served under the digest of {@code promised} whose bytes are {@code served}: a registry that lies. */
    public Descriptor lyingBlob(String mediaType, byte[] promised, byte[] served) {
        Descriptor d = new Descriptor(mediaType, Digest.sha256(promised), promised.length);
        blobs.put(d.digest(), served);
        return d;
    }

    /** Serves the manifest by digest and, when {@code tag} is not null, by tag (listed in that order). */
    public RawManifest manifest(RawManifest manifest, String tag) {
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

    /**
     * Blob GETs are answered only once {@code gate} opens (after a minute regardless): a copy held
     * until the test has seen what it waits for, however slow the machine.
     */
    void holdBlobsUntil(CountDownLatch gate) {
        blobGate = gate;
    }

    private void awaitBlobGate() {
        try {
            blobGate.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is shutting down: answer at once
        }
    }

    /** Pulls left under a Docker Hub style limit; -1 for no limit. */
    private final java.util.concurrent.atomic.AtomicInteger pullsLeft = new java.util.concurrent.atomic.AtomicInteger(-1);
    private volatile int pullLimit;

    /**
     * Limits pulls as Docker Hub does: every manifest answer carries {@code ratelimit-limit} and
     * {@code ratelimit-remaining}, each manifest GET spends one pull (HEAD spends none), and a GET
     * with none left is refused with 429 and {@code Retry-After: 0}.
     */
    void limitPulls(int limit, int remaining) {
        pullLimit = limit;
        pullsLeft.set(remaining);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse r = limited(request);
        if (request.getMethod().equals("HEAD") && r.getStatus().contains(" 404")) {
            // MockWebServer would write the error body after a HEAD answer, breaking the kept-alive connection.
            return new MockResponse().setStatus(r.getStatus());
        }
        return r;
    }

    private MockResponse limited(RecordedRequest request) {
        if (pullsLeft.get() < 0 || !request.getPath().contains("/manifests/")) {
            return answer(request);
        }
        if (request.getMethod().equals("GET") && pullsLeft.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
            return new MockResponse().setResponseCode(429).setHeader("Retry-After", "0")
                    .setHeader("ratelimit-limit", pullLimit + ";w=21600").setHeader("ratelimit-remaining", "0;w=21600")
                    .setHeader("Content-Type", "application/json")
                    .setBody("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"pull rate limit\"}]}");
        }
        return answer(request).setHeader("ratelimit-limit", pullLimit + ";w=21600")
                .setHeader("ratelimit-remaining", pullsLeft.get() + ";w=21600")
                .setHeader("docker-ratelimit-source", "203.0.113.7");
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
            if (request.getMethod().equals("GET")) {
                awaitBlobGate();
            }
            return b == null ? error("BLOB_UNKNOWN", "blob unknown to registry")
                    : body(request, b, "application/octet-stream", digest)
                            .setBodyDelay(blobDelayMillis, TimeUnit.MILLISECONDS);
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
