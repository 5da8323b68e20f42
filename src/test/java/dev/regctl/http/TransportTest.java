package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loopback HTTPS-then-HTTP choice against servers that do not speak TLS. */
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
}
