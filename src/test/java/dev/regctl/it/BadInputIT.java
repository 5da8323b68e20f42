package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import dev.regctl.it.support.TestImages;
import dev.regctl.it.support.TokenServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a user can get it wrong, through the real launcher: the documented exit code, nothing
 * on stdout (so a script never mistakes an error for data), one {@code regctl:} line on stderr
 * with at most a hint (and, for picocli usage errors, its "Try --help" line), and no stack trace.
 */
class BadInputIT {

    private static final String PASSWORD = "carol-Secret-5e1d";

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer open;
    @AutoClose
    static RegistryServer basic;
    @AutoClose
    static TokenServer tokens;
    @AutoClose
    static RegistryServer secured;
    @AutoClose
    static Launcher regctl;
    /** A registry that serves /v2/ but has no catalog, as Docker Hub and most cloud registries. */
    static MockWebServer noCatalog;
    /**
     * regctl first tries HTTPS on a loopback registry; MockWebServer reads that TLS hello as a
     * broken request and logs a SEVERE stack trace for it. Expected, so kept out of the build log
     * (held in a field: java.util.logging only keeps weak references to configured loggers).
     */
    private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());
    static int closedPort;

    /**
     * One row of the table. Arguments may name the fixtures: {@code {open}}, {@code {basic}},
     * {@code {secured}}, {@code {nocatalog}}, {@code {closed}} become their {@code 127.0.0.1:PORT}.
     *
     * @param configJson written to DOCKER_CONFIG/config.json for this run when not null
     * @param why        a fragment the {@code regctl:} line must contain
     */
    record Case(String name, List<String> args, String stdin, String configJson, int exit, String why, String hint) {
        Case(String name, List<String> args, String stdin, String configJson, int exit, String why) {
            this(name, args, stdin, configJson, exit, why, null);
        }

        /** The same case, also requiring a {@code hint:} line that contains {@code fragment}. */
        Case hint(String fragment) {
            return new Case(name, args, stdin, configJson, exit, why, fragment);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                usage("upper-case repository", "must be lowercase", "digest", "{open}/Images/app:v1"),
                usage("bad tag", "invalid tag", "digest", "{open}/images/app:bad$tag"),
                usage("bad digest", "invalid sha256 digest", "inspect", "{open}/images/app@sha256:abc"),
                usage("empty reference", "empty reference", "digest", ""),
                usage("unknown flag", "Unknown option: '--bogus'", "tags", "--bogus", "{open}/images/app"),
                usage("missing argument", "Missing required parameter", "inspect"),
                usage("unknown output format", "--output", "tags", "-o", "yaml", "{open}/images/app"),
                usage("inspect --config on an index", "is an index", "inspect", "--config", "{open}/images/app:multi")
                        .hint("regctl inspect --config --platform OS/ARCH {open}/images/app:multi"),
                usage("--raw with --config", "cannot be used together", "inspect", "--raw", "--config",
                        "{open}/images/app:multi"),
                usage("bad --filter regex", "--filter \"v1(\": missing closing )", "tags", "{open}/images/app", "--filter", "v1("),
                usage("negative --limit", "--limit", "ls", "{open}", "--limit", "-1"),
                new Case("malformed config.json", List.of("tags", "{basic}/private/app"), null,
                        "{\"auths\": {\"{basic}\": {\"auth\": ", 2, "config.json: invalid JSON"),
                new Case("unknown repository", List.of("tags", "{open}/no/such/repo"), null, null, 3, "NAME_UNKNOWN"),
                new Case("unknown tag", List.of("digest", "{open}/images/app:nope"), null, null, 3, "MANIFEST_UNKNOWN"),
                usage("mistyped command", "regctl: unknown command 'tgas'; did you mean 'tags'?", "tgas", "{open}/images/app"),
                new Case("refused connection", List.of("ls", "{closed}"), null, null, 1,
                        "cannot connect to {closed}: connection refused")
                        .hint("is the registry running"),
                new Case("wrong password", List.of("login", "{basic}", "-u", "carol", "--password-stdin"),
                        "not-" + PASSWORD + "\n", null, 4, "UNAUTHORIZED"),
                new Case("wrong password at a token server", List.of("login", "{secured}", "-u", "dave", "--password-stdin"),
                        "not-" + PASSWORD + "\n", null, 4, "authentication failed"),
                new Case("empty password on stdin", List.of("login", "{basic}", "-u", "carol", "--password-stdin"),
                        "", null, 2, "the password is empty"),
                new Case("no password and no terminal to ask on", List.of("login", "{basic}", "-u", "carol"), null, null,
                        2, "no password given").hint("--password-stdin"),
                new Case("credsStore names a helper that is not installed", List.of("tags", "{basic}/private/app"), null,
                        "{\"credsStore\": \"regctl-it-missing\"}", 2, "docker-credential-regctl-it-missing not found"),
                new Case("private repository without credentials", List.of("tags", "{basic}/private/app"), null, null,
                        4, "UNAUTHORIZED"),
                new Case("catalog refused by the token server's policy", List.of("ls", "{secured}"), null, null,
                        4, "UNAUTHORIZED"),
                new Case("registry without a catalog", List.of("ls", "{nocatalog}"), null, null, 5,
                        "does not offer a catalog"));
    }

    private static Case usage(String name, String why, String... args) {
        return new Case(name, List.of(args), null, null, 2, why);
    }

    @BeforeAll
    static void startFixtures() throws IOException {
        open = RegistryServer.open().start();
        basic = RegistryServer.htpasswd(Map.of("carol", PASSWORD)).start();
        tokens = TokenServer.builder().user("dave", "dave-pw").grant("dave", "*", "pull").start();
        secured = RegistryServer.token(tokens).start();
        regctl = Launcher.create();

        Path layout = work.resolve("layout");
        LayoutImage index = TestImages.multiPlatformIndex(layout, "multi", List.of("linux/amd64", "linux/arm64/v8"));
        TestImages.push(index.dir(), "multi", open, "images/app:multi");
        try (Seeder seeder = Seeder.withBasicAuth(basic, "carol", PASSWORD)) {
            seeder.tags("private/app", List.of("v1"));
        }

        MOCK_LOG.setLevel(Level.OFF);
        noCatalog = new MockWebServer();
        noCatalog.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if ("/v2/".equals(request.getPath())) {
                    return new MockResponse().setBody("{}").setHeader("Content-Type", "application/json");
                }
                return new MockResponse().setResponseCode(404).setBody("404 page not found\n");
            }
        });
        noCatalog.start(InetAddress.getLoopbackAddress(), 0);

        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopMock() throws IOException {
        if (noCatalog != null) {
            noCatalog.shutdown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithTheDocumentedCodeAndOneLine(Case c) throws IOException {
        Path config = regctl.configJson();
        Files.deleteIfExists(config);
        if (c.configJson() != null) {
            Files.writeString(config, fill(c.configJson()));
        }
        // Error paths must be prompt too: a hang or a retry storm fails here, not just a wrong code.
        Launcher.Call call = regctl.call(c.args().stream().map(BadInputIT::fill).toArray(String[]::new))
                .timeout(Duration.ofSeconds(10));
        if (c.stdin() != null) {
            call.stdin(c.stdin());
        }
        Launcher.Result r = call.run();

        assertEquals(c.exit(), r.exitCode(), r::toString);
        assertEquals("", r.stdoutText(), () -> "an error prints nothing on stdout: " + r);
        List<String> lines = r.stderrLines();
        assertFalse(lines.isEmpty(), r::toString);
        assertTrue(lines.get(0).startsWith("regctl: "), r::toString);
        assertTrue(lines.get(0).contains(fill(c.why())), () -> "expected \"" + fill(c.why()) + "\" in: " + r);
        List<String> rest = lines.subList(1, lines.size());
        assertTrue(rest.size() <= 2, r::toString);
        assertTrue(rest.stream().filter(l -> l.startsWith("hint: ")).count() <= 1, r::toString);
        assertTrue(rest.stream().allMatch(l -> l.startsWith("hint: ")
                || (c.exit() == 2 && l.matches("Try 'regctl( [a-z]+)? --help' for usage\\."))), r::toString);
        if (c.hint() != null) {
            String hint = fill(c.hint());
            assertTrue(rest.stream().anyMatch(l -> l.startsWith("hint: ") && l.contains(hint)),
                    () -> "expected a hint with \"" + hint + "\" in: " + r);
        }
        assertFalse(r.stderr().contains("at dev.") || r.stderr().contains("Exception"), () -> "stack trace: " + r);
        assertFalse(r.stderr().contains(PASSWORD), r::toString);
        if (c.configJson() == null) {
            assertFalse(Files.exists(config), "a failed command writes no config.json: " + r);
        }
    }

    private static String fill(String template) {
        return template.replace("{open}", open.host())
                .replace("{basic}", basic.host())
                .replace("{secured}", secured.host())
                .replace("{nocatalog}", "127.0.0.1:" + noCatalog.getPort())
                .replace("{closed}", "127.0.0.1:" + closedPort);
    }
}
