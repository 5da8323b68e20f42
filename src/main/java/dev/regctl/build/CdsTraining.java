package dev.regctl.build;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.regctl.cli.Main;
import dev.regctl.http.Transport;
import dev.regctl.http.TransportOptions;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The build's class-data-sharing training run (not a user command): runs the common commands
 * against a tiny in-process registry so that {@code -XX:ArchiveClassesAtExit} records the
 * classes a real run loads. JDK 17 cannot grow an archive later, so what is not exercised here
 * is loaded from the jars as usual; correctness never depends on this run.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[4096];
        Digest configDigest = Digest.sha256(config);
        Digest layerDigest = Digest.sha256(layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\""
                + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = Digest.sha256(manifest);
        Map<String, byte[]> blobs = Map.of(configDigest.toString(), config, layerDigest.toString(), layer);

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v2/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                String method = ex.getRequestMethod();
                if (path.equals("/v2/_catalog")) {
                    send(ex, 200, "application/json", "{\"repositories\":[\"train/app\"]}".getBytes(StandardCharsets.UTF_8));
                } else if (path.endsWith("/tags/list")) {
                    send(ex, 200, "application/json", "{\"tags\":[\"v1\"]}".getBytes(StandardCharsets.UTF_8));
                } else if (path.contains("/manifests/") && method.equals("PUT")) {
                    ex.getRequestBody().readAllBytes();
                    ex.getResponseHeaders().add("Docker-Content-Digest", manifestDigest.toString());
                    send(ex, 201, null, new byte[0]);
                } else if (path.startsWith("/v2/train/app/manifests/")) {
                    ex.getResponseHeaders().add("Docker-Content-Digest", manifestDigest.toString());
                    send(ex, 200, MediaTypes.OCI_MANIFEST, manifest);
                } else if (path.contains("/blobs/uploads/")) {
                    ex.getRequestBody().readAllBytes();
                    ex.getResponseHeaders().add("Location", "/v2/train/copy/blobs/uploads/1");
                    send(ex, method.equals("PUT") ? 201 : 202, null, new byte[0]);
                } else if (path.startsWith("/v2/train/app/blobs/")) {
                    byte[] blob = blobs.get(path.substring(path.lastIndexOf('/') + 1));
                    send(ex, blob == null ? 404 : 200, "application/octet-stream", blob == null ? new byte[0] : blob);
                } else {
                    send(ex, 404, "application/json",
                            "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"unknown\"}]}".getBytes(StandardCharsets.UTF_8));
                }
            }
        });
        server.start();
        String host = "127.0.0.1:" + server.getAddress().getPort();
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        Path conf = registriesConf();
        String confFile = conf.resolve("registries.conf").toString();
        try {
            for (String[] a : new String[][] {
                {"ref", "-o", "json", "redis"},
                {"ref", "--resolve", "--registries-conf", confFile, "redis"},
                {"ls", host},
                {"tags", "--registries-conf", confFile, host + "/train/app"},
                {"tags", "--long", "-o", "json", host + "/train/app"},
                {"inspect", host + "/train/app:v1"},
                {"digest", "--registries-conf", confFile, host + "/train/app:v1"},
                {"digest", host + "/train/app:v1", host + "/train/app:v1"},
                {"copy", host + "/train/app:v1", host + "/train/copy:v1"},
                {"tags", host + "/train/missing"},
                {"nonsense"},
            }) {
                Main.run(a, sink, sink);
            }
            httpsAttempt();
        } finally {
            server.stop(0);
            try (Stream<Path> files = Files.walk(conf)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * A registries.conf as distributions ship them (version 2: [[registry]] tables, a mirror, a
     * drop-in), none of it naming the training registry. Most Linux machines have one in
     * /etc/containers, and the build machine's may not: without this its reader's classes, the
     * TOML parser's among them, would be missing from the archive wherever the build ran without one.
     */
    private static Path registriesConf() throws IOException {
        Path dir = Files.createTempDirectory("regctl-training");
        Files.writeString(dir.resolve("registries.conf"), """
                unqualified-search-registries = ["docker.io", "quay.io"]
                short-name-mode = "enforcing"

                [[registry]]
                prefix = "docker.io"
                location = "docker.io"

                [[registry.mirror]]
                location = "mirror.training.invalid:5000"
                pull-from-mirror = "digest-only"

                [[registry]]
                location = "blocked.training.invalid"
                blocked = true
                """);
        Path dropIns = Files.createDirectory(dir.resolve("registries.conf.d"));
        Files.writeString(dropIns.resolve("50-training.conf"), """
                [[registry]]
                prefix = "*.training.invalid"
                insecure = true
                """);
        return dir;
    }

    /**
     * Registries are mostly HTTPS, which loads the JVM's TLS client, trust store and OkHttp's TLS
     * path: a handshake with a port that answers it with plain HTTP loads nearly all of that.
     */
    private static void httpsAttempt() throws IOException {
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the handshake fails either way
                }
            });
            answer.start();
            String host = "127.0.0.1:" + plain.getLocalPort();
            try (Transport transport = new Transport(new TransportOptions(false, null, List.of()), List.of(host), null);
                    Response ignored = transport.client().newCall(
                            new Request.Builder().url("https://" + host + "/v2/").build()).execute()) {
                // not reached: the answer is not TLS
            } catch (IOException expected) {
                // SSLException: what was wanted is the classes it loaded
            }
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        if (type != null) {
            ex.getResponseHeaders().add("Content-Type", type);
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
