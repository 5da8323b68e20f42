package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-request limits: an idle limit for all, a whole-request deadline for all but bulk transfers. */
class TimeLimitsTest {
    private MockWebServer server;
    private String host;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        host = "127.0.0.1:" + server.getPort();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private Transport transport(Duration idle, Duration deadline) {
        return new Transport(new TransportOptions(false, null, List.of(), Set.of(host)).withTimeLimits(idle, deadline),
                List.of(host), null);
    }

    /** The body of a GET, read to its end. */
    private static String get(Transport t, Request.Builder request) throws IOException {
        try (Response r = t.client().newCall(request.build()).execute()) {
            return r.body().string();
        }
    }

    private Request.Builder manifest() {
        return new Request.Builder().url("http://" + host + "/v2/app/manifests/latest");
    }

    private MockResponse dripping(int bytes) {
        // One byte every 100 ms: far from a 5 s idle limit however loaded the machine, and longer than the deadline.
        return new MockResponse().setBody("x".repeat(bytes)).throttleBody(1, 100, TimeUnit.MILLISECONDS);
    }

    @Test
    void aDrippingAnswerIsCutOffAtTheDeadline() {
        // A minute of body: only the deadline ends the read, and its message says that it did.
        server.enqueue(dripping(600));
        try (Transport t = transport(Duration.ofSeconds(5), Duration.ofSeconds(1))) {
            IOException e = assertThrows(IOException.class, () -> get(t, manifest()));
            assertEquals("no answer from " + host + " within 1s", e.getMessage());
        }
    }

    @Test
    void aSilentServerFailsAtTheDeadlineWhateverTheRetries() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }
        // However late a loaded machine ends the first attempt, the deadline ends what follows it.
        try (Transport t = transport(Duration.ofMillis(700), Duration.ofSeconds(1))) {
            IOException e = assertThrows(IOException.class, () -> get(t, manifest()));
            assertEquals("no answer from " + host + " within 1s", e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertTrue(server.getRequestCount() <= 2, "the deadline ended the retries: " + server.getRequestCount() + " requests");
    }

    @Test
    void aBulkTransferOutlivesTheDeadlineWhileBytesKeepComing() throws IOException {
        server.enqueue(dripping(20));
        try (Transport t = transport(Duration.ofSeconds(5), Duration.ofSeconds(1))) {
            assertEquals("x".repeat(20), get(t, manifest().tag(Transfer.class, Transfer.BULK)));
        }
    }

    @Test
    void aSilentServerGetsOneRetryOnABulkTransferNotFour() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }
        try (Transport t = transport(Duration.ofMillis(500), Duration.ofSeconds(1))) {
            IOException e = assertThrows(IOException.class,
                    () -> get(t, manifest().tag(Transfer.class, Transfer.BULK)));
            assertEquals(host + " sent nothing for 500ms", e.getMessage());
        }
        assertEquals(2, server.getRequestCount(), "a second timeout is not retried");
    }

    @Test
    void aBulkBodyThatStallsFailsAtTheIdleLimit() {
        server.enqueue(new MockResponse().setBody("x".repeat(10)).throttleBody(5, 3, TimeUnit.SECONDS));
        try (Transport t = transport(Duration.ofMillis(500), Duration.ofSeconds(10))) {
            IOException e = assertThrows(IOException.class,
                    () -> get(t, manifest().tag(Transfer.class, Transfer.BULK)));
            assertEquals(host + " sent nothing for 500ms", e.getMessage());
        }
    }

    @Test
    void theDefaultsAreHalfAMinuteIdleAndAMinuteInAll() {
        TransportOptions o = new TransportOptions(false, null, List.of());
        assertEquals(Duration.ofSeconds(30), o.idleLimit());
        assertEquals(Duration.ofSeconds(60), o.answerDeadline());
    }
}
