package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.cli.Main;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link Sha512Layout} is read and copied by the digests it was written with, never turned into sha256 ones it does not list. */
class Sha512LayoutTest {

    @TempDir
    Path tmp;

    private Path src;
    private Descriptor amd64;
    private Descriptor arm64;
    private Descriptor index;
    private byte[] amd64Bytes;

    @BeforeEach
    void writeLayout() throws IOException {
        Sha512Layout layout = Sha512Layout.write(tmp.resolve("src"));
        src = layout.dir();
        amd64 = layout.amd64();
        arm64 = layout.arm64();
        index = layout.index();
        amd64Bytes = layout.amd64Bytes();
    }

    @Test
    void digestPrintsTheSha512TheLayoutListsAndFindsItBack() {
        assertEquals(amd64.digest().toString(), ok("digest", "oci:" + src + ":v1"));
        assertEquals(amd64.digest().toString(), ok("digest", "oci:" + src + "@" + amd64.digest()));
        assertEquals(arm64.digest().toString(), ok("digest", "--platform", "linux/arm64", "oci:" + src + ":multi"));
    }

    @Test
    void aLayoutCopyKeepsEveryDescriptorAndBlobSha512AndSkopeoReadsIt() throws Exception {
        Path dst = tmp.resolve("dst");
        ok("copy", "oci:" + src + ":v1", "oci:" + dst + ":v1");

        assertEquals(List.of(amd64.digest().toString()), indexDigests(dst));
        assertStoredBySha512(dst, amd64);
        assertEquals(List.of(), files(dst.resolve("blobs/sha256")), "nothing rewritten to sha256");
        assertEquals(amd64.digest().toString(), ok("digest", "oci:" + dst + ":v1"));
        assertArrayEquals(amd64Bytes, skopeo("inspect", "--raw", "oci:" + dst + ":v1"));
    }

    @Test
    void anIndexCopiedWholeKeepsItsSha512Children() throws IOException {
        Path dst = tmp.resolve("dst");
        ok("copy", "oci:" + src + ":multi", "oci:" + dst + ":multi");

        assertEquals(List.of(index.digest().toString()), indexDigests(dst));
        for (Descriptor d : List.of(index, amd64, arm64)) {
            assertStoredBySha512(dst, d);
        }
        assertEquals(List.of(), files(dst.resolve("blobs/sha256")), "nothing rewritten to sha256");
    }

    @Test
    void onePlatformCopiedOutOfASha512IndexIsTaggedByItsSha512() throws IOException {
        Path dst = tmp.resolve("dst");
        ok("copy", "--platform", "linux/arm64", "oci:" + src + ":multi", "oci:" + dst + ":arm");

        assertEquals(List.of(arm64.digest().toString()), indexDigests(dst));
        assertStoredBySha512(dst, arm64);
    }

    /** The manifest and every blob it names are under blobs/sha512, as they were in the source. */
    private void assertStoredBySha512(Path layout, Descriptor manifest) throws IOException {
        Path file = layout.resolve("blobs/sha512").resolve(manifest.digest().hex());
        assertTrue(Files.isRegularFile(file), file.toString());
        JsonNode tree = Json.readTree(Files.readAllBytes(file));
        List<JsonNode> named = new ArrayList<>();
        if (tree.has("config")) {
            named.add(tree.get("config"));
        }
        tree.path("layers").forEach(named::add);
        for (JsonNode d : named) {
            Digest digest = Digest.parse(d.get("digest").asText());
            assertEquals("sha512", digest.algorithm());
            assertTrue(Files.isRegularFile(layout.resolve("blobs/sha512").resolve(digest.hex())), digest.toString());
        }
    }

    private static List<String> indexDigests(Path layout) throws IOException {
        List<String> digests = new ArrayList<>();
        Json.readTree(Files.readAllBytes(layout.resolve("index.json"))).path("manifests")
                .forEach(m -> digests.add(m.path("digest").asText()));
        return digests;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }

    private String ok(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", tmp.resolve("docker").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, exit, err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        return out.toString().strip();
    }

    private static byte[] skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "skopeo did not finish");
            assertEquals(0, process.exitValue(), new String(output, StandardCharsets.UTF_8));
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
