package dev.regctl.store.registry;

import dev.regctl.http.Transport;
import dev.regctl.http.TransportOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockWebServer;

/**
 * A MockWebServer on loopback with a transport that speaks plain HTTP to it straight away (no
 * HTTPS probe), for tests that script a registry's answers. Closing it stops both.
 */
public final class ScriptedRegistry implements AutoCloseable {
    private final MockWebServer server;
    private final Transport transport;
    private final RegistryClient client;

    private ScriptedRegistry(MockWebServer server) {
        this.server = server;
        String host = "127.0.0.1:" + server.getPort();
        this.transport = new Transport(new TransportOptions(false, null, List.of(), Set.of(host)), List.of(), null);
        this.client = new RegistryClient(transport, host, host);
    }

    /** A registry answering what tests enqueue on {@link #server()}. */
    public static ScriptedRegistry start() {
        return start(null);
    }

    /** A registry answering through {@code dispatcher} (null: the enqueued answers). */
    public static ScriptedRegistry start(Dispatcher dispatcher) {
        MockWebServer server = new MockWebServer();
        if (dispatcher != null) {
            server.setDispatcher(dispatcher);
        }
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start MockWebServer on loopback", e);
        }
        return new ScriptedRegistry(server);
    }

    public MockWebServer server() {
        return server;
    }

    public RegistryClient client() {
        return client;
    }

    /** The repository {@code name} on this registry. */
    public RegistryStore store(String name) {
        return new RegistryStore(client, name);
    }

    @Override
    public void close() throws IOException {
        transport.close();
        server.shutdown();
    }
}
