package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** The loopback HTTPS-then-HTTP choice against servers that do not speak TLS, and what a stopped run still sends. */
class TransportTest {

    @Test
    void aServerSilentOnTheTlsHelloIsAskedOnceThenSpokenToInPlainHttp() throws Exception {
        // Plain-HTTP servers that wait for a request line never answer a ClientHello; the probe's
        // short timeout bounds that wait, and a retry would only multiply it.
        AtomicInteger connections = new AtomicInteger();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(server.accept());
                        connections.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String host = "127.0.0.1:" + server.getLocalPort();
            try (Transport transport = new Transport(new TransportOptions(false, null, List.of()), List.of(host), null)) {
                assertEquals("http", transport.baseUrl(host).scheme());
            }
            assertEquals(1, connections.get(), "the HTTPS probe is not retried");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aStoppedRunSendsItsCleanUpAndNothingElse() throws Exception {
        // A copy retries a call the stop cancelled as if the connection had dropped; its fresh upload
        // session would be opened after the stop had dropped the open ones, and left behind.
        try (MockWebServer server = new MockWebServer();
                Transport transport = new Transport(new TransportOptions(false, null, List.of()), List.of(), null)) {
            server.enqueue(new MockResponse().setResponseCode(204));
            server.start(InetAddress.getLoopbackAddress(), 0);
            transport.cancelAll(Duration.ZERO);

            Request retry = new Request.Builder().url(server.url("/v2/app/blobs/uploads/"))
                    .post(okhttp3.RequestBody.create(new byte[0], null)).build();
            IOException refused = assertThrows(IOException.class, () -> transport.client().newCall(retry).execute());
            assertEquals(InterruptedIOException.class, refused.getClass(), "not worth another attempt: " + refused);
            assertEquals(false, RetryPolicy.isTransient(refused));

            Request drop = new Request.Builder().url(server.url("/v2/app/blobs/uploads/session")).delete()
                    .tag(Transfer.class, Transfer.CLEANUP).build();
            try (Response r = transport.client().newCall(drop).execute()) {
                assertEquals(204, r.code());
            }
            assertEquals(1, server.getRequestCount(), "only the clean-up reached the registry");
            assertEquals("DELETE", server.takeRequest().getMethod());
        }
    }
}
