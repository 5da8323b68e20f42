package dev.regctl.it.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A real CNCF distribution registry ({@code docker-registry serve}) on a free loopback port, with
 * its config, storage and log in a temp directory that {@link #close()} deletes. Three shapes:
 * {@link #open()}, {@link #htpasswd(Map)} and {@link #token(TokenServer)}.
 *
 * <pre>{@code
 * try (RegistryServer registry = RegistryServer.open().deleteEnabled(true).start()) {
 *     skopeo.copy("oci:" + layout + ":v1", registry.docker("app:v1"), "--all");
 *     long uploads = registry.countRequests("PUT", "/v2/app/blobs/uploads/.*");
 * }
 * }</pre>
 */
public final class RegistryServer implements AutoCloseable {

    /** One line of the registry's access log. {@code uri} is the request path with its query. */
    public record Request(String method, String uri, int status) {
    }

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    // distribution's access log is Apache combined format: host ident user [time] "METHOD URI PROTO" status size ...
    private static final Pattern ACCESS_LOG = Pattern.compile(
            "^\\S+ \\S+ \\S+ \\[[^]]+] \"(\\S+) (\\S+) [^\"]*\" (\\d{3}) ", Pattern.MULTILINE);

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path storage;
    private final Path config;
    private final Path log;
    private boolean closed;

    private RegistryServer(Process process, int port, Path dir, Path storage, Path config, Path log) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.storage = storage;
        this.config = config;
        this.log = log;
    }

    /** A registry anyone may read and write. */
    public static Builder open() {
        return new Builder(dir -> "");
    }

    /** A registry behind Basic auth with these users and passwords (written as a bcrypt htpasswd file). */
    public static Builder htpasswd(Map<String, String> users) {
        Map<String, String> copy = new LinkedHashMap<>(users);
        return new Builder(dir -> {
            StringBuilder lines = new StringBuilder();
            copy.forEach((user, password) -> {
                if (user.contains(":")) {
                    throw new IllegalArgumentException("htpasswd user names cannot contain ':': " + user);
                }
                // Cost 4, bcrypt's minimum: the registry checks the hash on every request, and at the
                // usual cost of 10 that alone would add tens of milliseconds to each one.
                lines.append(user).append(':').append(BCrypt.hashpw(password, BCrypt.gensalt(4))).append('\n');
            });
            Path file = dir.resolve("htpasswd");
            writePrivate(file, lines.toString());
            return "auth:\n  htpasswd:\n    realm: " + quote("regctl-it") + "\n    path: " + quote(file.toString()) + "\n";
        });
    }

    /** A registry that accepts only bearer tokens issued by {@code tokens}. */
    public static Builder token(TokenServer tokens) {
        return new Builder(dir -> "auth:\n  token:\n"
                + "    realm: " + quote(tokens.realm()) + "\n"
                + "    service: " + quote(tokens.service()) + "\n"
                + "    issuer: " + quote(tokens.issuer()) + "\n"
                + "    rootcertbundle: " + quote(tokens.certificatePem().toString()) + "\n");
    }

    /** {@code 127.0.0.1:PORT}, as a client puts it in a reference. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}, for raw HTTP requests. */
    public String url() {
        return "http://" + host();
    }

    /** A skopeo/containers-image reference to {@code repository[:tag|@digest]} on this registry. */
    public String docker(String reference) {
        return "docker://" + host() + "/" + reference;
    }

    /** The filesystem driver's root directory (the registry's own layout lives below it). */
    public Path storageDir() {
        return storage;
    }

    /** The config.yml the registry was started with. */
    public Path configFile() {
        return config;
    }

    /** Everything the registry has logged so far (application log and access log, interleaved). */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + log, e);
        }
    }

    /** Every request in the access log so far, oldest first. */
    public List<Request> requests() {
        List<Request> requests = new ArrayList<>();
        Matcher m = ACCESS_LOG.matcher(log());
        while (m.find()) {
            requests.add(new Request(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
        }
        return requests;
    }

    /**
     * How many logged requests had this method and a URI matching {@code uriRegex} in full, e.g.
     * {@code countRequests("PUT", "/v2/app/blobs/uploads/.*")} counts completed blob uploads.
     */
    public long countRequests(String method, String uriRegex) {
        Pattern uri = Pattern.compile(uriRegex);
        return requests().stream().filter(r -> r.method().equals(method) && uri.matcher(r.uri()).matches()).count();
    }

    /** Stops the registry, waits for it to exit, and deletes its config, storage and log. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Cleanup.stop(process);
        } finally {
            Cleanup.delete(dir);
        }
    }

    @Override
    public String toString() {
        return "docker-registry at " + host();
    }

    /** Writes a part of config.yml (and any files it names) into the registry's directory. */
    @FunctionalInterface
    private interface AuthConfig {
        String write(Path dir);
    }

    /** Options that map one-to-one onto distribution's config.yml; {@link #start()} runs the registry. */
    public static final class Builder {
        private final AuthConfig auth;
        private boolean deleteEnabled;
        private int catalogMaxEntries;
        private boolean schema1Enabled;
        private Path tlsCertificate;
        private Path tlsKey;

        private Builder(AuthConfig auth) {
            this.auth = auth;
        }

        /**
         * {@code storage.delete.enabled}. Off by default, as in distribution itself, where a
         * DELETE is answered 405 UNSUPPORTED.
         */
        public Builder deleteEnabled(boolean enabled) {
            this.deleteEnabled = enabled;
            return this;
        }

        /**
         * The top-level {@code catalog.maxentries}: the largest page {@code /v2/_catalog} serves
         * (distribution's default is 1000; a larger {@code n} is refused with 400).
         */
        public Builder catalogMaxEntries(int maxEntries) {
            if (maxEntries <= 0) {
                throw new IllegalArgumentException("catalog maxentries must be positive: " + maxEntries);
            }
            this.catalogMaxEntries = maxEntries;
            return this;
        }

        /**
         * {@code compatibility.schema1.enabled}: off by default in 2.8, where pushing a schema 1
         * manifest is answered 500 UNKNOWN; on, the registry stores it and re-signs it on every GET.
         */
        public Builder schema1Enabled(boolean enabled) {
            this.schema1Enabled = enabled;
            return this;
        }

        /**
         * {@code http.tls}: serve HTTPS only, with this PEM certificate (chain) and PEM key. The
         * readiness probe's plain HTTP request is then answered 400, which still says it serves.
         */
        public Builder tls(Path certificate, Path key) {
            this.tlsCertificate = certificate;
            this.tlsKey = key;
            return this;
        }

        /** Writes config.yml, starts the registry and waits until {@code GET /v2/} answers. */
        public RegistryServer start() {
            Path binary = ExternalTools.require("docker-registry");
            Path dir = Cleanup.tempDirectory("regctl-it-registry-");
            try {
                Path storage = Files.createDirectories(dir.resolve("storage"));
                Path config = dir.resolve("config.yml");
                Path log = dir.resolve("registry.log");
                String authYaml = auth.write(dir);
                String lastLog = "";
                // A port picked free can be taken before the registry binds it; try a fresh one then.
                for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
                    int port = freePort();
                    Files.writeString(config, configYaml(port, storage, authYaml), StandardCharsets.UTF_8);
                    Process process = launch(binary, config, log, dir);
                    RegistryServer server = new RegistryServer(process, port, dir, storage, config, log);
                    if (awaitReady(process, port)) {
                        return server;
                    }
                    Cleanup.stop(process);
                    lastLog = server.log();
                    if (!lastLog.contains("address already in use")) {
                        break;
                    }
                }
                throw new IllegalStateException("docker-registry did not answer GET /v2/ within " + STARTUP_TIMEOUT
                        + " (config " + config + "); its log:\n" + lastLog);
            } catch (IOException e) {
                Cleanup.delete(dir);
                throw new UncheckedIOException("cannot prepare the registry in " + dir, e);
            } catch (RuntimeException e) {
                Cleanup.delete(dir);
                throw e;
            }
        }

        private String configYaml(int port, Path storage, String authYaml) {
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            StringBuilder yaml = new StringBuilder()
                    .append("version: 0.1\n")
                    .append("log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n")
                    .append("storage:\n")
                    .append("  filesystem:\n    rootdirectory: ").append(quote(storage.toString())).append('\n')
                    .append("  delete:\n    enabled: ").append(deleteEnabled).append('\n')
                    // Purging runs in the background and would touch storage while a test inspects it.
                    .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
                    .append("http:\n")
                    .append("  addr: ").append(quote("127.0.0.1:" + port)).append('\n')
                    // A fixed secret per registry keeps upload state valid; without one it logs a warning.
                    .append("  secret: ").append(quote(HexFormat.of().formatHex(secret))).append('\n');
            if (tlsCertificate != null) {
                yaml.append("  tls:\n    certificate: ").append(quote(tlsCertificate.toString()))
                        .append("\n    key: ").append(quote(tlsKey.toString())).append('\n');
            }
            if (catalogMaxEntries > 0) {
                // In 2.8 this is a top-level section (configuration.Catalog), not under http or storage.
                yaml.append("catalog:\n  maxentries: ").append(catalogMaxEntries).append('\n');
            }
            if (schema1Enabled) {
                yaml.append("compatibility:\n  schema1:\n    enabled: true\n");
            }
            return yaml.append(authYaml).toString();
        }
    }

    private static Process launch(Path binary, Path config, Path log, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", config.toString())
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // distribution lets REGISTRY_* variables override any config key; a developer's own must not leak in.
        builder.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
        return Cleanup.track(builder.start());
    }

    private static boolean awaitReady(Process process, int port) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
                c.setConnectTimeout(250);
                c.setReadTimeout(2000);
                try {
                    c.getResponseCode(); // 200 when open, 401 behind auth: either way it is serving
                    return true;
                } finally {
                    c.disconnect();
                }
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(25));
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void writePrivate(Path file, String content) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** A YAML double-quoted scalar; JSON string syntax is a subset of it. */
    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the registry", e);
        }
    }
}
