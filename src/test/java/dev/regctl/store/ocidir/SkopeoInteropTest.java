package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ocidir.TestImages.Image;
import dev.regctl.testing.ImageParts.Blob;
import dev.regctl.testing.ImageParts;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layouts must be readable by the tools people already have, and theirs by us: checked against
 * the real skopeo, copying between layout directories only, so no registry is needed.
 */
class SkopeoInteropTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void skopeoIsInstalled() {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "skopeo")));
        // Not skipped: a missing tool would let a layout others cannot read pass unnoticed.
        assertTrue(found, "skopeo is not on PATH: install it (Debian/Ubuntu: apt-get install skopeo)");
    }

    @Test
    void skopeoReadsTheExactBytesWeWrote() throws Exception {
        Path a = tmp.resolve("a");
        OciLayoutStore store = OciLayoutStore.create(a);
        Image image = TestImages.image("amd64", ImageParts.random(2 * 1024 * 1024, 1));
        TestImages.put(store, image, "v1");

        assertArrayEquals(image.manifest().bytes(), skopeo("inspect", "--raw", "oci:" + a + ":v1"));
        assertArrayEquals(image.config().bytes(), skopeo("inspect", "--config", "--raw", "oci:" + a + ":v1"));
        String summary = new String(skopeo("inspect", "oci:" + a + ":v1"), StandardCharsets.UTF_8);
        assertTrue(summary.contains("\"Digest\": \"" + image.manifest().digest() + "\""), summary);
    }

    @Test
    void weReadAnImageSkopeoCopied() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Image image = TestImages.image("amd64", ImageParts.random(2 * 1024 * 1024, 2));
        TestImages.put(OciLayoutStore.create(a), image, "t");

        skopeo("copy", "--insecure-policy", "oci:" + a + ":t", "oci:" + b + ":t");

        OciLayoutStore copied = OciLayoutStore.open(b);
        assertEquals(List.of("t"), copied.listTags());
        RawManifest manifest = copied.fetchManifest("t");
        assertArrayEquals(image.manifest().bytes(), manifest.bytes());
        assertEquals(image.manifest().mediaType(), manifest.mediaType());
        assertReadable(copied, image.config());
        assertReadable(copied, image.layers()[0]);
    }

    @Test
    void weReadAMultiPlatformIndexSkopeoCopied() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        OciLayoutStore source = OciLayoutStore.create(a);
        Image amd = TestImages.image("amd64", new byte[] {1});
        Image arm = TestImages.image("arm64", new byte[] {2});
        TestImages.put(source, amd, null);
        TestImages.put(source, arm, null);
        RawManifest index = TestImages.index(amd, arm);
        source.putManifest(index, "multi");
        assertArrayEquals(index.bytes(), skopeo("inspect", "--raw", "oci:" + a + ":multi"));

        skopeo("copy", "--all", "--insecure-policy", "oci:" + a + ":multi", "oci:" + b + ":multi");

        OciLayoutStore copied = OciLayoutStore.open(b);
        assertArrayEquals(index.bytes(), copied.fetchManifest("multi").bytes());
        for (Image child : List.of(amd, arm)) {
            assertArrayEquals(child.manifest().bytes(),
                    copied.fetchManifest(child.manifest().digest().toString()).bytes());
            assertReadable(copied, child.config());
            assertReadable(copied, child.layers()[0]);
        }
    }

    @Test
    void layoutsStayReadableToBothAfterEachWritesToThem() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Image first = TestImages.image("amd64", new byte[] {3});
        Image second = TestImages.image("amd64", new byte[] {4});
        OciLayoutStore ours = OciLayoutStore.create(a);
        TestImages.put(ours, first, "one");
        skopeo("copy", "--insecure-policy", "oci:" + a + ":one", "oci:" + b + ":one");

        // We add to the layout skopeo made...
        OciLayoutStore theirs = OciLayoutStore.open(b);
        TestImages.put(theirs, second, "two");
        assertArrayEquals(first.manifest().bytes(), skopeo("inspect", "--raw", "oci:" + b + ":one"));
        assertArrayEquals(second.manifest().bytes(), skopeo("inspect", "--raw", "oci:" + b + ":two"));

        // ...and skopeo adds a tag to the layout we made.
        skopeo("copy", "--insecure-policy", "oci:" + a + ":one", "oci:" + a + ":again");
        assertEquals(List.of("one", "again"), ours.listTags());
        assertArrayEquals(first.manifest().bytes(), ours.fetchManifest("again").bytes());
    }

    @Test
    void skopeoReadsAnIndexWeWroteWithoutBeingGivenATag() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        RawManifest index = putIndexAsCopyDoes(OciLayoutStore.create(a), "multi", 5);

        assertArrayEquals(index.bytes(), skopeo("inspect", "--raw", "oci:" + a));
        skopeo("copy", "--all", "--insecure-policy", "oci:" + a, "oci:" + b + ":again");
        assertArrayEquals(index.bytes(), OciLayoutStore.open(b).fetchManifest("again").bytes());
    }

    @Test
    void skopeoReadsAnIndexWeWroteByDigestOnly() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        RawManifest index = putIndexAsCopyDoes(OciLayoutStore.create(a), null, 7);

        assertArrayEquals(index.bytes(), skopeo("inspect", "--raw", "oci:" + a));
        skopeo("copy", "--all", "--insecure-policy", "oci:" + a, "oci:" + b + ":t");
        assertArrayEquals(index.bytes(), OciLayoutStore.open(b).fetchManifest("t").bytes());
    }

    @Test
    void skopeoReadsAnImageWeWroteByDigestOnly() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Image image = TestImages.image("amd64", new byte[] {9});
        TestImages.put(OciLayoutStore.create(a), image, null);

        assertArrayEquals(image.manifest().bytes(), skopeo("inspect", "--raw", "oci:" + a));
        skopeo("copy", "--insecure-policy", "oci:" + a, "oci:" + b + ":t");
        assertArrayEquals(image.config().bytes(), skopeo("inspect", "--config", "--raw", "oci:" + b + ":t"));
    }

    @Test
    void weReadALayoutSkopeoWroteWithoutATag() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Image image = TestImages.image("amd64", new byte[] {10});
        TestImages.put(OciLayoutStore.create(a), image, "t");

        skopeo("copy", "--insecure-policy", "oci:" + a + ":t", "oci:" + b);

        OciLayoutStore copied = OciLayoutStore.open(b);
        assertEquals(List.of(), copied.listTags());
        Descriptor only = copied.resolve(null, null);
        assertEquals(image.manifest().descriptor(), only.bare());
        assertArrayEquals(image.manifest().bytes(), copied.fetchManifest(only.digest()).bytes());
    }

    @Test
    void aFullReferenceAsTagIsReadByBoth() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String tag = "docker.io/library/hello:1.0";
        Image image = TestImages.image("amd64", new byte[] {11});
        TestImages.put(OciLayoutStore.create(a), image, tag);

        // skopeo splits DIR from the tag at the first colon, so the tag keeps its own.
        assertArrayEquals(image.manifest().bytes(), skopeo("inspect", "--raw", "oci:" + a + ":" + tag));
        skopeo("copy", "--insecure-policy", "oci:" + a + ":" + tag, "oci:" + b + ":" + tag);

        OciLayoutStore copied = OciLayoutStore.open(b);
        assertEquals(List.of(tag), copied.listTags());
        assertEquals(image.manifest().descriptor(), copied.resolve(tag, null).bare());
        assertArrayEquals(image.manifest().bytes(), copied.fetchManifest(tag).bytes());
    }

    /** Children first and untagged, then the index, as a copy writes them. */
    private static RawManifest putIndexAsCopyDoes(OciLayoutStore store, String tag, int seed) {
        Image amd = TestImages.image("amd64", new byte[] {(byte) seed});
        Image arm = TestImages.image("arm64", new byte[] {(byte) (seed + 1)});
        TestImages.put(store, amd, null);
        TestImages.put(store, arm, null);
        RawManifest index = TestImages.index(amd, arm);
        store.putManifest(index, tag);
        return index;
    }

    private static void assertReadable(OciLayoutStore store, Blob blob) throws IOException {
        Descriptor d = blob.descriptor();
        assertTrue(store.hasBlob(d), d.digest().toString());
        try (InputStream in = store.openBlob(d)) {
            assertArrayEquals(blob.bytes(), in.readAllBytes());
        }
    }

    /** Runs skopeo and returns its standard output; fails the test with its stderr otherwise. */
    private static byte[] skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        byte[] stdout = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "skopeo timed out: " + command);
        assertEquals(0, process.exitValue(), command + " failed: "
                + new String(stderr.get(), StandardCharsets.UTF_8));
        return stdout;
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return ("(stderr unreadable: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
        }
    }
}
