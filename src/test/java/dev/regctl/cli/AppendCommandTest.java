package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.append.BaseImages;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** append's options and output, run in this JVM on OCI layouts (the registry cases are AppendIT's). */
class AppendCommandTest {
    @TempDir
    Path dir;

    private String base;
    private String index;
    private Path file;

    @BeforeEach
    void layouts() throws IOException {
        try (OciLayoutStore layout = OciLayoutStore.create(dir.resolve("base"))) {
            BaseImages.image(layout, "one", "linux/amd64");
            BaseImages.index(layout, "multi", "linux/amd64", "linux/arm64");
        }
        base = "oci:" + dir.resolve("base") + ":one";
        index = "oci:" + dir.resolve("base") + ":multi";
        file = Files.writeString(dir.resolve("hello.txt"), "hello\n");
    }

    private InProcessRun run(String... args) throws IOException {
        return InProcessRun.of(Files.createDirectories(dir.resolve("docker-config")), args);
    }

    private InProcessRun append(String from, String to, String... options) throws IOException {
        String[] args = new String[3 + options.length];
        args[0] = "append";
        args[1] = from;
        args[2] = to;
        System.arraycopy(options, 0, args, 3, options.length);
        return run(args);
    }

    @Test
    void printsTheDigestAloneForAnImage() throws IOException {
        InProcessRun r = run("append", base, "oci:" + dir.resolve("out") + ":v1", "--add", file + ":/hello.txt");
        assertEquals(0, r.exit(), r::toString);
        try (OciLayoutStore out = OciLayoutStore.open(dir.resolve("out"))) {
            RawManifest pushed = out.fetchManifest("v1");
            assertEquals(pushed.digest() + "\n", r.out());
            assertEquals(2, pushed.manifest().layers().size());
        }
    }

    @Test
    void printsTheIndexDigestThenEachPlatformsOnOneLine() throws IOException {
        InProcessRun r = run("append", index, "oci:" + dir.resolve("out") + ":v1", "--label", "a=b");
        assertEquals(0, r.exit(), r::toString);
        String[] fields = r.out().strip().split(" ");
        assertEquals(3, fields.length, r.out());
        assertTrue(fields[1].startsWith("linux/amd64=sha256:") && fields[2].startsWith("linux/arm64=sha256:"), r.out());
    }

    @Test
    void jsonSaysDigestsLayersAddedAndBytes() throws IOException {
        InProcessRun r = run("append", index, "oci:" + dir.resolve("out") + ":v1", "--add", file.toString(), "-o", "json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode json = Json.mapper().readTree(r.out());
        assertEquals("application/vnd.oci.image.index.v1+json", json.path("mediaType").asText());
        assertEquals(2, json.path("images").size());
        assertEquals("linux/arm64", json.path("images").get(1).path("platform").asText());
        assertEquals(1, json.path("layersAdded").asInt());
        assertTrue(json.path("bytes").asLong() > 0, r.out());
        assertFalse(json.path("dryRun").asBoolean());
    }

    @Test
    void dryRunWritesNothing() throws IOException {
        InProcessRun r = run("append", base, "oci:" + dir.resolve("out") + ":v1", "--env", "A=1", "--dry-run");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("sha256:") && r.out().contains("dry run"), r.out());
        assertFalse(Files.exists(dir.resolve("out")), "a dry run leaves no layout behind");
    }

    @Test
    void badOptionsAreUsageErrorsBeforeTheBaseIsRead() throws IOException {
        String missingBase = "oci:" + dir.resolve("no-such-layout") + ":x";
        String target = "oci:" + dir.resolve("out") + ":v1";
        for (String[] bad : new String[][]{
            {"--env", "NOEQUALS"}, {"--label", "=v"}, {"--expose", "http"}, {"--created", "soon"},
            {"--workdir", "relative"}, {"--chown", "root"}, {"--entrypoint", "[\"unclosed\""},
            {"--add", dir.resolve("missing") + ":/x"}, {"--platform", "linux"}}) {
            InProcessRun r = append(missingBase, target, bad);
            assertEquals(ExitCodes.USAGE, r.exit(), String.join(" ", bad) + ": " + r);
            assertTrue(r.err().startsWith("regctl: "), r.err());
            assertEquals("", r.out());
        }
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void nothingToChangeIsRefusedRatherThanRewritingTheImage() throws IOException {
        String target = "oci:" + dir.resolve("out") + ":v1";
        for (String[] nothing : new String[][]{{}, {"--chown", "1000"}, {"--platform", "linux/amd64"}}) {
            InProcessRun r = append(index, target, nothing);
            assertEquals(ExitCodes.USAGE, r.exit(), String.join(" ", nothing) + ": " + r);
            assertTrue(r.err().startsWith("regctl: append: nothing to change: give --add, or a config option"), r.err());
            assertTrue(r.err().contains("regctl copy"), r.err());
            assertEquals("", r.out());
        }
        assertFalse(Files.exists(dir.resolve("out")));

        InProcessRun created = run("append", base, target, "--created", "2024-05-01T00:00:00Z");
        assertEquals(0, created.exit(), "--created alone is a change asked for: " + created);
    }

    /** As copy and digest refuse it: an arm64 build must not be made on an amd64 base without a word. */
    @Test
    void aSingleBaseOfAnotherPlatformExitsThreeAndNothingIsWritten() throws IOException {
        String target = "oci:" + dir.resolve("out") + ":v1";
        InProcessRun r = append(base, target, "--platform", "linux/arm64", "--add", file + ":/hello.txt");

        assertEquals(ExitCodes.NOT_FOUND, r.exit(), r::toString);
        assertEquals("", r.out());
        List<String> err = r.err().lines().toList();
        assertTrue(err.get(0).startsWith("regctl: append: base " + base + ": ")
                && err.get(0).endsWith(base + " is one image for linux/amd64, not linux/arm64"), r.err());
        assertEquals(List.of("hint: leave out --platform, or name an index that has linux/arm64"), err.subList(1, err.size()));
        assertFalse(Files.exists(dir.resolve("out")), "nothing was written");

        assertEquals(0, append(base, target, "--platform", "linux/amd64", "--add", file + ":/hello.txt").exit(),
                "its own platform is no mismatch");
    }

    @Test
    void aFileAtTheRootARelativeDestOrBadJsonSayWhatIsWrongInOneLine() throws IOException {
        String target = "oci:" + dir.resolve("out") + ":v1";
        InProcessRun root = run("append", base, target, "--add", file + ":/");
        assertEquals(ExitCodes.USAGE, root.exit(), root::toString);
        assertEquals("regctl: --add " + file + ":/: a file cannot be the image's root directory", root.err().lines().findFirst().orElseThrow());

        InProcessRun relative = run("append", base, target, "--add", file + ":relative/path");
        assertEquals(ExitCodes.USAGE, relative.exit(), relative::toString);
        assertTrue(relative.err().startsWith("regctl: --add " + file + ":relative/path: DEST \"relative/path\" must be absolute"),
                relative.err());

        InProcessRun json = run("append", base, target, "--entrypoint", "[\"/app\", 8080]");
        assertEquals(ExitCodes.USAGE, json.exit(), json::toString);
        assertEquals("regctl: --entrypoint: not a JSON array of strings: element 2, at character 10, is a number, not a string",
                json.err().lines().findFirst().orElseThrow());
        assertFalse(json.err().contains("Source:") || json.err().contains("token"), "no parser's words: " + json.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void helpNamesEveryKindOfReferenceBaseAndTargetTake() throws IOException {
        InProcessRun help = run("append", "--help");
        assertEquals(0, help.exit(), help::toString);
        for (String form : List.of("[docker://][HOST[:PORT]/]PATH[:TAG][@DIGEST]", "oci:PATH[:TAG]", "oci-archive:PATH[:TAG]",
                "docker-archive:PATH[:REF]")) {
            assertTrue(help.out().contains(form), form + " whole on one line: " + help.out());
        }
    }

    @Test
    void archivesAreBasesAndTargetsLikeAnyOtherStore() throws IOException {
        Path docker = dir.resolve("app.tar");
        InProcessRun toArchive = run("append", base, "docker-archive:" + docker + ":example.com/app:v1", "--add", file.toString());
        assertEquals(0, toArchive.exit(), toArchive::toString);
        InProcessRun fromArchive = run("append", "docker-archive:" + docker, "oci-archive:" + dir.resolve("oci.tar") + ":v2",
                "--label", "from=archive");
        assertEquals(0, fromArchive.exit(), fromArchive::toString);
        InProcessRun digest = run("digest", "oci-archive:" + dir.resolve("oci.tar") + ":v2");
        assertEquals(fromArchive.out(), digest.out(), digest::toString);
    }

    @Test
    void aTargetDigestOrAMissingBaseIsRefusedAndNothingWritten() throws IOException {
        InProcessRun digest = run("append", base, "oci:" + dir.resolve("out") + "@sha256:" + "a".repeat(64));
        assertEquals(ExitCodes.USAGE, digest.exit(), digest::toString);

        InProcessRun missing = run("append", "oci:" + dir.resolve("base") + ":nope", "oci:" + dir.resolve("out") + ":v1",
                "--label", "a=b");
        assertEquals(ExitCodes.NOT_FOUND, missing.exit(), missing::toString);
        assertTrue(missing.err().startsWith("regctl: append: base oci:"), missing.err());
        assertFalse(missing.err().contains("regctl-append-"), "the scratch layout is no concern of the user's: " + missing.err());
        assertFalse(missing.err().contains("copy "), "append's own step, not the copy it ran: " + missing.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aBaseLayerThatTurnsOutCorruptWhilePushingIsBlamedOnTheBase() throws IOException {
        Path layer;
        try (OciLayoutStore layout = OciLayoutStore.open(dir.resolve("base"))) {
            String digest = Json.mapper().readTree(layout.fetchManifest("one").bytes()).at("/layers/0/digest").asText();
            layer = dir.resolve("base/blobs/sha256/" + digest.substring("sha256:".length()));
        }
        byte[] bytes = Files.readAllBytes(layer);
        bytes[bytes.length / 2] ^= 1;
        Files.write(layer, bytes);

        InProcessRun r = run("append", base, "oci:" + dir.resolve("out") + ":v1", "--label", "a=b");

        assertEquals(ExitCodes.FAILURE, r.exit(), r::toString);
        // The push is what reads BASE's layers now; the layer is still BASE's, not TARGET's, fault.
        assertTrue(r.err().startsWith("regctl: append: base " + base + ": "), r.err());
        assertTrue(r.err().contains("does not match its descriptor"), r.err());
    }

    @Test
    void aPushThatFailsNamesTargetAndWhyButNotTheScratchLayout() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String target = "127.0.0.1:" + closed + "/app:v1";
        InProcessRun r = run("append", base, target, "--label", "a=b");
        assertEquals(ExitCodes.FAILURE, r.exit(), r::toString);
        assertTrue(r.err().startsWith("regctl: append: push " + target + ": "), r.err());
        assertFalse(r.err().contains("regctl-append-") || r.err().contains("copy "), r.err());
    }
}
