package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parallel {@code regctl login} processes into one {@code config.json} against a real htpasswd
 * {@code docker-registry}. Entries are keyed by registry name, so 20 logins need 20 names: one
 * registry serves them all, reached directly on its own port and through 19 plain TCP relays on
 * other loopback ports. A relay only copies bytes, so every login is checked by the registry's
 * htpasswd file; what differs is the {@code 127.0.0.1:PORT} each process stores its entry under,
 * which is exactly what the lost-update race is about. Starting 20 registries would test the same
 * thing with 20 times the processes on a small CI machine.
 */
class ConcurrentLoginIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-Secret-5d1e";
    private static final int LOGINS = 20;
    private static final Duration PER_RUN = Duration.ofSeconds(180);

    static RegistryServer registry;
    static final List<Relay> RELAYS = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.htpasswd(Map.of(USER, PASSWORD)).start();
        int registryPort = Integer.parseInt(registry.host().substring(registry.host().lastIndexOf(':') + 1));
        for (int i = 1; i < LOGINS; i++) {
            RELAYS.add(new Relay(registryPort));
        }
    }

    @AfterAll
    static void stop() {
        RELAYS.forEach(Relay::close);
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void twentyParallelLoginsKeepTwentyEntriesAndParallelLogoutsRemoveOnlyTheirOwn() throws Exception {
        List<String> hosts = new ArrayList<>();
        hosts.add(registry.host());
        RELAYS.forEach(r -> hosts.add(r.host()));

        try (Launcher regctl = Launcher.create()) {
            Files.writeString(regctl.configJson(), "{\"psFormat\": \"table {{.ID}}\"}\n");

            List<Launcher.Result> logins = inParallel(hosts, host -> regctl.call("login", host, "-u", USER, "--password-stdin")
                    .stdin(PASSWORD + "\n").timeout(PER_RUN).run());
            for (Launcher.Result login : logins) {
                assertEquals(0, login.exitCode(), login::toString);
                assertEquals("Login Succeeded\n", login.stdoutText(), login::toString);
            }
            JsonNode config = JSON.readTree(regctl.configJson().toFile());
            String pair = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            for (String host : hosts) {
                assertEquals(pair, config.path("auths").path(host).path("auth").asText(), "entry for " + host + " in " + config);
            }
            assertEquals(LOGINS, config.path("auths").size(), config::toString);
            assertEquals("table {{.ID}}", config.path("psFormat").asText());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(regctl.configJson())));

            List<String> leaving = hosts.subList(0, LOGINS / 2);
            List<Launcher.Result> logouts = inParallel(leaving, host -> regctl.call("logout", host).timeout(PER_RUN).run());
            for (Launcher.Result logout : logouts) {
                assertEquals(0, logout.exitCode(), logout::toString);
                assertTrue(logout.stdoutText().startsWith("Removed login credentials for "), logout::toString);
            }
            JsonNode after = JSON.readTree(regctl.configJson().toFile()).path("auths");
            for (String host : hosts) {
                assertEquals(!leaving.contains(host), after.has(host), host + " in " + after);
            }
        }
    }

    /** Runs {@code run} for every host at once (released together), in the hosts' order. */
    private static List<Launcher.Result> inParallel(List<String> hosts, java.util.function.Function<String, Launcher.Result> run)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Launcher.Result>> futures = new ArrayList<>();
            for (String host : hosts) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return run.apply(host);
                }));
            }
            go.countDown();
            List<Launcher.Result> results = new ArrayList<>();
            for (Future<Launcher.Result> f : futures) {
                results.add(f.get(PER_RUN.toSeconds() * 2, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A loopback port that forwards every connection, byte for byte, to the registry's port. */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();

        Relay(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            daemon(this::accept, "relay-" + server.getLocalPort());
        }

        String host() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(upstream);
                    daemon(() -> pump(client, upstream), "relay-up");
                    daemon(() -> pump(upstream, client), "relay-down");
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }

        /** Copies one direction; at its end, closes both so the other direction ends too. */
        private void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the peer closed; nothing to relay any more
            } finally {
                quietly(from);
                quietly(to);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing for good
            }
            open.forEach(Relay::quietly);
        }

        private static void quietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing for good
            }
        }

        private static void daemon(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.start();
        }
    }
}
