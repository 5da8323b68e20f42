package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry on loopback that puts terminal escapes (ESC sequences, C1 controls, bidi overrides,
 * newlines) into repository names, tags, media types and error text: none reaches the terminal
 * as a control character, in text, JSON or error lines; {@code inspect --raw} stays byte-exact.
 */
class HostileTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TITLE = "\u001b]0;owned\u0007";
    private static final String CLEAR = "\u001b[2J";
    private static final String CSI = "\u009b31m";
    private static final String RLO = "\u202e";
    private static final List<String> REPOSITORIES = List.of("ok/app", "evil" + TITLE + "/app", "bidi" + RLO + "gnp/x");
    /** U+2028 and U+2029 end a line for JavaScript, editors and Unicode-aware terminals, though not for String.lines(). */
    private static final String LINE_SEPARATORS = "v2\u2028sha256:forged\u2029";
    private static final List<String> TAGS = List.of("v1", CLEAR + "cleared", RLO + "reversed", "two\nlines\tcols", "del\u007f" + CSI,
            LINE_SEPARATORS);
    /** MockWebServer logs the TLS hello regctl first tries on loopback as a broken request. */
    private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

    @TempDir
    Path tmp;

    private MockWebServer registry;
    private byte[] manifest;

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws IOException {
        MOCK_LOG.setLevel(Level.OFF);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/x\\u001b[2J" + CSI + RLO + "\",\"digest\":\"" + Digest.sha256(new byte[1])
                + "\",\"size\":1}]}").getBytes(StandardCharsets.UTF_8);
        registry = new MockWebServer();
        registry.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath();
                if (path.equals("/v2/")) {
                    return new MockResponse();
                }
                if (path.startsWith("/v2/_catalog")) {
                    return json(json(java.util.Map.of("repositories", REPOSITORIES)));
                }
                if (path.startsWith("/v2/evil/app/tags/list")) {
                    return json(json(java.util.Map.of("name", "evil/app", "tags", TAGS)));
                }
                if (path.equals("/v2/evil/app/manifests/v1")) {
                    return new MockResponse().setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                            .setHeader("Docker-Content-Digest", Digest.sha256(manifest).toString())
                            .setBody(new okio.Buffer().write(manifest));
                }
                if (path.startsWith("/v2/evil/app/blobs/")) {
                    return new MockResponse().setHeader("Content-Type", "application/octet-stream")
                            .setBody("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
                }
                return json("{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository " + TITLE.replace("\u001b", "\\u001b")
                        .replace("\u0007", "\\u0007") + " unknown\\n\\u202eforged\"}]}").setResponseCode(404);
            }
        });
        registry.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws IOException {
        registry.shutdown();
    }

    private static MockResponse json(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String host() {
        return "127.0.0.1:" + registry.getPort();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--docker-config", tmp.resolve("docker").toString()));
        int exit = Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    /** Nothing a terminal would act on: only newlines and the tabs regctl itself puts between columns. */
    private static void assertPrintable(String text) {
        for (char c : text.toCharArray()) {
            assertFalse(c != '\n' && c != '\t' && TerminalText.isControl(c),
                    String.format("U+%04X in %s", (int) c, text));
        }
    }

    @Test
    void repositoryNamesAreEscapedOnePerLine() {
        Run r = run("ls", host());

        assertEquals(0, r.exit(), r.err());
        assertPrintable(r.out());
        assertEquals(List.of("ok/app", "evil\\x1b]0;owned\\x07/app", "bidi\\u202egnp/x"), r.out().lines().toList());
    }

    @Test
    void tagsAreEscapedOnePerLineSoNoneForgesALineOrAColumn() {
        Run r = run("tags", host() + "/evil/app");

        assertEquals(0, r.exit(), r.err());
        assertPrintable(r.out());
        assertEquals(List.of("v1", "\\x1b[2Jcleared", "\\u202ereversed", "two\\x0alines\\x09cols", "del\\x7f\\x9b31m",
                "v2\\u2028sha256:forged\\u2029"), r.out().lines().toList());
        assertFalse(r.out().contains("\t"));
    }

    @Test
    void jsonEscapesTheSameCharactersAndReadsBackAsTheTagsServed() throws IOException {
        Run r = run("tags", "-o", "json", host() + "/evil/app");

        assertEquals(0, r.exit(), r.err());
        assertPrintable(r.out().replace("\n", ""));
        assertTrue(r.out().contains("\\u202e") && r.out().contains("\\u009b") && r.out().contains("\\u007F")
                && r.out().contains("\\u2028") && r.out().contains("\\u2029"), r.out());
        List<String> read = new ArrayList<>();
        JSON.readTree(r.out()).forEach(t -> read.add(t.asText()));
        assertEquals(TAGS, read);
    }

    @Test
    void registryErrorTextIsOneEscapedLine() {
        Run r = run("tags", host() + "/missing/app");

        assertEquals(ExitCodes.NOT_FOUND, r.exit());
        assertEquals("", r.out());
        assertPrintable(r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("regctl: ") && first.contains("\\x1b]0;owned\\x07") && first.contains("\\u202eforged"),
                r.err());
        assertEquals(1, r.err().lines().filter(l -> !l.startsWith("hint: ")).count(), r.err());
    }

    @Test
    void inspectEscapesWhatTheManifestSaysButRawStaysByteExact() {
        Run r = run("inspect", host() + "/evil/app:v1");
        assertEquals(0, r.exit(), r.err());
        assertPrintable(r.out());
        assertTrue(r.out().contains("application/x\\x1b[2J\\x9b31m\\u202e"), r.out());

        PrintStream stdout = System.out;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        System.setOut(new PrintStream(raw, true));
        try {
            assertEquals(0, run("inspect", "--raw", host() + "/evil/app:v1").exit());
        } finally {
            System.setOut(stdout);
        }
        assertArrayEquals(manifest, raw.toByteArray(), "--raw prints data as served, like cat");
        assertTrue(new String(raw.toByteArray(), StandardCharsets.UTF_8).contains(CSI + RLO));
    }
}
