package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryInterceptorTest {
    private MockWebServer server;
    private final List<Duration> waits = new ArrayList<>();
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .addInterceptor(new RetryInterceptor(RetryPolicy.DEFAULT, waits::add)).build();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private int get() throws IOException {
        try (Response r = client.newCall(new Request.Builder().url(server.url("/v2/")).build()).execute()) {
            return r.code();
        }
    }

    @Test
    void retries503WithExponentialBackoff() throws IOException {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(200));
        assertEquals(200, get());
        assertEquals(3, server.getRequestCount());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), waits);
    }

    @Test
    void honoursRetryAfterOn429() throws IOException {
        server.enqueue(new MockResponse().setResponseCode(429).addHeader("Retry-After", "3"));
        server.enqueue(new MockResponse().setResponseCode(200));
        assertEquals(200, get());
        assertEquals(List.of(Duration.ofSeconds(3)), waits);
    }

    @Test
    void givesUpAfterMaxAttemptsAndReturnsLastAnswer() throws IOException {
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse().setResponseCode(502));
        }
        assertEquals(502, get());
        assertEquals(RetryPolicy.DEFAULT.maxAttempts(), server.getRequestCount());
    }

    @Test
    void retriesAConnectionDroppedMidAnswer() throws IOException {
        server.enqueue(new MockResponse().setBody("partial").setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(new MockResponse().setResponseCode(200));
        assertEquals(200, get());
        assertEquals(1, waits.size());
    }

    @Test
    void doesNotRetry404Or401() throws IOException {
        server.enqueue(new MockResponse().setResponseCode(404));
        assertEquals(404, get());
        server.enqueue(new MockResponse().setResponseCode(401));
        assertEquals(401, get());
        assertEquals(2, server.getRequestCount());
        assertEquals(List.of(), waits);
    }

    @Test
    void neverReplaysAOneShotBody() {
        server.enqueue(new MockResponse().setResponseCode(503));
        RequestBody oneShot = new RequestBody() {
            @Override
            public MediaType contentType() {
                return null;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8("blob");
            }
        };
        Request put = new Request.Builder().url(server.url("/upload")).put(oneShot).build();
        assertEquals(503, assertDoesNotThrowCode(put));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void refusedConnectionIsNotRetried() throws IOException {
        int port = server.getPort();
        server.shutdown();
        Request r = new Request.Builder().url("http://127.0.0.1:" + port + "/v2/").build();
        assertThrows(java.net.ConnectException.class, () -> client.newCall(r).execute());
        assertEquals(List.of(), waits);
    }

    private int assertDoesNotThrowCode(Request r) {
        try (Response resp = client.newCall(r).execute()) {
            return resp.code();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void retryAfterAsHttpDateAndCap() {
        assertEquals(Duration.ofSeconds(20), RetryPolicy.DEFAULT.backoff(1, "3600"));
        assertEquals(Duration.ZERO, RetryPolicy.DEFAULT.backoff(1, "Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(Duration.ofMillis(1000), RetryPolicy.DEFAULT.backoff(3, "soon"));
    }

    @Test
    void aTimeoutIsRetriedOnceOnly() {
        // Each attempt at a silent server costs a whole read timeout: the second one ends it.
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }
        OkHttpClient impatient = client.newBuilder().readTimeout(Duration.ofMillis(200)).build();
        assertThrows(java.net.SocketTimeoutException.class,
                () -> impatient.newCall(new Request.Builder().url(server.url("/v2/")).build()).execute());
        assertEquals(2, server.getRequestCount());
        assertEquals(List.of(Duration.ofMillis(250)), waits);
    }
}
