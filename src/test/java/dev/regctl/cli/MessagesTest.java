package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the user reads on stderr after a failed login and after a dry run. */
class MessagesTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--docker-config", tmp.resolve("docker").toString()));
        int exit = Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aRefusedLoginDoesNotSuggestTheLoginJustRun() throws IOException {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setStatus("HTTP/1.1 401 Unauthorized"));
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            String host = "127.0.0.1:" + server.getPort();
            Run r = run("login", host, "-u", "u", "-p", "wrong");
            assertEquals(ExitCodes.AUTH, r.exit(), r.err());
            assertTrue(r.err().contains("regctl: log in to " + host + ": " + host + " answered 401 Unauthorized\n"), r.err());
            assertTrue(r.err().contains("hint: check the user name and password for " + host), r.err());
            assertFalse(r.err().contains("regctl login"), r.err());
        }
    }

    /** An OCI layout with tag v1 on a one-layer image, copied from a loopback registry. */
    private String layout() throws IOException {
        try (ContentRegistry registry = new ContentRegistry()) {
            Descriptor config = registry.blob(MediaTypes.OCI_CONFIG, utf8("{\"os\":\"linux\",\"architecture\":\"amd64\",\"created\":\"2024-05-01T00:00:00Z\"}"));
            registry.manifest(RawManifest.of(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                    + "\",\"config\":{\"mediaType\":\"" + config.mediaType() + "\",\"digest\":\"" + config.digest()
                    + "\",\"size\":" + config.size() + "},\"layers\":[]}"), null), "v1");
            String dst = "oci:" + tmp.resolve("layout");
            assertEquals(ExitCodes.OK, run("copy", "-q", registry.repository() + ":v1", dst + ":v1").exit());
            return dst;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRegistryWhereAnImageBelongsSaysWhatWasUnderstoodAndWhatToWrite() {
        for (String[] args : List.of(new String[] {"tags", "127.0.0.1:5000"}, new String[] {"inspect", "localhost:5000"},
                new String[] {"copy", "localhost:5000", "oci:" + tmp.resolve("out")})) {
            Run r = run(args);
            String registry = args[1];
            String host = registry.substring(0, registry.indexOf(':'));
            assertEquals(ExitCodes.USAGE, r.exit(), r.err());
            assertEquals("regctl: invalid reference \"" + registry + "\": \"" + registry + "\" is a registry, not an image"
                    + " (docker would read it as Docker Hub's library/" + host + " with tag 5000); name a repository on it: "
                    + registry + "/REPO[:TAG]\n", r.err());
        }
    }

    @Test
    void aUrlIsRefusedTheSameWayWhereverARegistryIsNamed() {
        List<String[]> runs = List.of(new String[] {"inspect", "http://127.0.0.1:5000/app:v1"},
                new String[] {"ls", "http://127.0.0.1:5000"}, new String[] {"login", "https://127.0.0.1:5000", "-u", "u", "-p", "p"},
                new String[] {"logout", "https://127.0.0.1:5000"});
        for (String[] args : runs) {
            Run r = run(args);
            assertEquals(ExitCodes.USAGE, r.exit(), String.join(" ", args) + ": " + r.err());
            List<String> lines = r.err().lines().toList();
            assertTrue(lines.get(0).contains(" takes no URL scheme; write 127.0.0.1:5000"), r.err());
            assertEquals("hint: regctl uses HTTPS, and plain HTTP by itself for a loopback registry that does not speak TLS;"
                    + " for another registry without TLS, add --insecure", lines.get(lines.size() - 1), r.err());
        }
    }

    @Test
    void anotherToolsTransportIsNamedWithHowToGetTheImageOut() {
        Run r = run("copy", "docker-daemon:app:latest", "oci:" + tmp.resolve("out"));
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertEquals(List.of("regctl: invalid reference \"docker-daemon:app:latest\": docker-daemon: is a transport of skopeo"
                        + " and podman (the images of a docker engine), which regctl does not read",
                "hint: docker save -o image.tar app:latest, then use docker-archive:image.tar"), r.err().lines().toList());
        assertFalse(tmp.resolve("out").toFile().exists());
    }

    @Test
    void deleteDryRunSaysNothingWasDeleted() throws IOException {
        String layout = layout();
        Run r = run("delete", "--dry-run", layout + ":v1");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals(2, r.out().lines().count(), "stdout stays the list: " + r.out());
        assertEquals("dry run: would delete 1 tag and the manifest; nothing was deleted\n", r.err());
        assertEquals(ExitCodes.OK, run("digest", layout + ":v1").exit(), "still there");
    }

    @Test
    void pruneDryRunSaysNothingWasDeleted() throws IOException {
        String layout = layout();
        Run r = run("prune", "--dry-run", "--keep", "0", layout);
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        assertEquals("dry run: would delete 1 tag; nothing was deleted\n", r.err());
    }
}
