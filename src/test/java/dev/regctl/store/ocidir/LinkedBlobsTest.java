package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regctl.RegctlException.Kind;
import dev.regctl.RegctlException;
import dev.regctl.cli.Main;
import dev.regctl.oci.Digest;
import dev.regctl.store.ContentMismatchException;
import dev.regctl.store.ocidir.TestImages.Image;
import dev.regctl.testing.ImageParts.Blob;
import dev.regctl.testing.ImageParts;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layouts whose blobs are links, as debuerreotype and Bazel's rules_oci and rules_img write
 * them: followed while they stay inside the layout and end at a regular file, refused by name
 * otherwise, and never handed out unverified.
 */
class LinkedBlobsTest {

    private static final String ONLY_INSIDE = "; refusing to read it (a blob may be a link only to a regular file inside the layout)";

    @TempDir
    Path tmp;

    private Path dir;
    private Image image;
    private Blob layer;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("layout");
        image = TestImages.image("amd64", ImageParts.random(64 * 1024, 7));
        layer = image.layers()[0];
        try (OciLayoutStore store = OciLayoutStore.create(dir)) {
            TestImages.put(store, image, "v1");
        }
    }

    @Nested
    class Followed {

        @Test
        void debuerreotypesRelativeLinkToTheRootfsBesideTheBlobsIsRead() throws IOException {
            // debuerreotype writes blobs/rootfs.tar.gz and links blobs/sha256/<hex> to ../rootfs.tar.gz.
            moveAndLink(layer, dir.resolve("blobs/rootfs.tar.gz"), Path.of("../rootfs.tar.gz"));
            moveAndLink(image.config(), dir.resolve("blobs/config.json"), Path.of("../config.json"));

            OciLayoutStore store = OciLayoutStore.open(dir);
            assertTrue(store.hasBlob(layer.descriptor()));
            assertEquals(layer.bytes().length, store.blobSize(layer.digest()), "the size of the file the link leads to");
            assertArrayEquals(layer.bytes(), read(store, layer));
            assertArrayEquals(image.config().bytes(), read(store, image.config()));
        }

        @Test
        void bazelsAbsoluteLinkIntoTheLayoutIsRead() throws IOException {
            Path layers = Files.createDirectories(dir.resolve("layers"));
            moveAndLink(layer, layers.resolve("layer.tar.gz"), layers.resolve("layer.tar.gz").toAbsolutePath());

            assertArrayEquals(layer.bytes(), read(OciLayoutStore.open(dir), layer));
        }

        @Test
        void aChainOfLinksThatStaysInsideIsRead() throws IOException {
            Path layers = Files.createDirectories(dir.resolve("a/b"));
            Files.move(blobPath(layer.digest()), layers.resolve("layer"));
            Files.createSymbolicLink(dir.resolve("hop"), Path.of("a/b/layer"));
            Files.createSymbolicLink(blobPath(layer.digest()), Path.of("../../hop"));

            assertArrayEquals(layer.bytes(), read(OciLayoutStore.open(dir), layer));
        }

        @Test
        void aLayoutNamedThroughALinkedPathReadsItsAbsoluteLinks() throws IOException {
            // /tmp being a link (macOS) or a layout reached through one: inside is judged by real paths.
            moveAndLink(layer, dir.resolve("rootfs.tar.gz"), dir.toRealPath().resolve("rootfs.tar.gz"));
            Path named = Files.createSymbolicLink(tmp.resolve("named"), dir);

            assertArrayEquals(layer.bytes(), read(OciLayoutStore.open(named), layer));
        }

        @Test
        void aCopyOutOfALinkedLayoutWritesRegularFilesThatSkopeoReads() throws Exception {
            moveAndLink(layer, dir.resolve("blobs/rootfs.tar.gz"), Path.of("../rootfs.tar.gz"));
            Path dst = tmp.resolve("dst");

            StringWriter err = new StringWriter();
            int exit = Main.run(new String[] {"copy", "oci:" + dir + ":v1", "oci:" + dst + ":v1",
                    "--config", tmp.resolve("docker").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));

            assertEquals(0, exit, err.toString());
            Path copied = dst.resolve("blobs/sha256").resolve(layer.digest().hex());
            assertFalse(Files.isSymbolicLink(copied));
            assertArrayEquals(layer.bytes(), Files.readAllBytes(copied));
            skopeo("copy", "--insecure-policy", "oci:" + dst + ":v1", "oci:" + tmp.resolve("third") + ":v1");
            assertArrayEquals(layer.bytes(), Files.readAllBytes(tmp.resolve("third/blobs/sha256").resolve(layer.digest().hex())));
        }
    }

    @Nested
    class Refused {

        @Test
        void anAbsoluteLinkOutOfTheLayout() throws IOException {
            Path outside = Files.write(tmp.resolve("outside"), layer.bytes());
            replaceWithLink(layer, outside);

            assertRefused("a symlink leading outside the layout");
        }

        @Test
        void aRelativeLinkClimbingOutOfTheLayout() throws IOException {
            Files.write(tmp.resolve("outside"), layer.bytes());
            replaceWithLink(layer, Path.of("../../../outside"));

            assertRefused("a symlink leading outside the layout");
        }

        @Test
        void aChainThatPassesOutsideOnTheWayBackIn() throws IOException {
            Path inside = dir.resolve("rootfs.tar.gz");
            Files.move(blobPath(layer.digest()), inside);
            Path hop = Files.createSymbolicLink(tmp.resolve("hop"), inside.toAbsolutePath());
            Files.createSymbolicLink(blobPath(layer.digest()), hop.toAbsolutePath());

            assertRefused("a symlink leading outside the layout");
        }

        @Test
        void aLinkThroughALinkedDirectoryOutOfTheLayout() throws IOException {
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            Files.write(outside.resolve("layer"), layer.bytes());
            Files.createSymbolicLink(dir.resolve("door"), outside.toAbsolutePath());
            replaceWithLink(layer, Path.of("../../door/layer"));

            assertRefused("a symlink leading outside the layout");
        }

        @Test
        void aDanglingLink() throws IOException {
            replaceWithLink(layer, Path.of("../rootfs.tar.gz"));

            assertRefused("a dangling symlink");
        }

        @Test
        void aLinkToADirectoryByNameOrByDots() throws IOException {
            Files.createDirectories(dir.resolve("blobs/rootfs"));
            replaceWithLink(layer, Path.of("../rootfs"));
            assertRefused("a symlink to a directory");

            Files.delete(blobPath(layer.digest()));
            Files.createSymbolicLink(blobPath(layer.digest()), Path.of(".."));
            assertRefused("a symlink to a directory");
        }

        @Test
        void aLinkToAFifoWithoutHanging() throws Exception {
            Path fifo = dir.resolve("blobs/rootfs.tar.gz");
            assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
            replaceWithLink(layer, Path.of("../rootfs.tar.gz"));

            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertRefused("a symlink to a FIFO"));
        }

        @Test
        void aLoopOfLinks() throws IOException {
            Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
            Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
            replaceWithLink(layer, Path.of("../../a"));

            assertRefused("a symlink that does not resolve (a loop of links)");
        }

        @Test
        void aLinkedFileWithOtherContentIsRefusedBeforeAnyByteIsHandedOut() throws IOException {
            byte[] other = layer.bytes().clone();
            other[other.length / 2] ^= 1;
            Files.write(dir.resolve("blobs/rootfs.tar.gz"), other);
            replaceWithLink(layer, Path.of("../rootfs.tar.gz"));

            OciLayoutStore store = OciLayoutStore.open(dir);
            RegctlException e = assertThrows(RegctlException.class, () -> store.openBlob(layer.descriptor()));
            assertInstanceOf(ContentMismatchException.class, e.getCause());
            assertTrue(e.getMessage().startsWith("oci:" + dir + ": opening blob " + layer.digest() + ": digest mismatch"),
                    e.getMessage());
        }

        @Test
        void aCopyOfAMislinkedLayerFailsNamingItAndTagsNothing() throws IOException {
            byte[] other = layer.bytes().clone();
            other[0] ^= 1;
            Files.write(dir.resolve("blobs/rootfs.tar.gz"), other);
            replaceWithLink(layer, Path.of("../rootfs.tar.gz"));
            Path dst = tmp.resolve("dst");

            StringWriter err = new StringWriter();
            int exit = Main.run(new String[] {"copy", "oci:" + dir + ":v1", "oci:" + dst + ":v1",
                    "--config", tmp.resolve("docker").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));

            assertEquals(1, exit, err.toString());
            assertTrue(err.toString().contains("blob " + layer.digest()), err.toString());
            assertTrue(err.toString().contains("digest mismatch"), err.toString());
            assertFalse(err.toString().contains("attempts"), "a mismatch is final, not retried: " + err);
            assertFalse(Files.exists(dst.resolve("blobs/sha256").resolve(image.manifest().digest().hex())), "no manifest written");
            // The layout is created by the first write, which may or may not precede the failing read.
            if (Files.exists(dst)) {
                assertEquals(List.of(), OciLayoutStore.open(dst).listTags(), "nothing tagged");
            }
        }

        private void assertRefused(String what) {
            OciLayoutStore store = OciLayoutStore.open(dir);
            RegctlException e = assertThrows(RegctlException.class, () -> store.openBlob(layer.descriptor()));
            assertEquals(Kind.FAILURE, e.kind());
            assertEquals("oci:" + dir + ": blob " + layer.digest() + " is " + what + ONLY_INSIDE, e.getMessage());
            assertFalse(store.hasBlob(layer.descriptor()), "a link not followed is not the blob");
            RegctlException sized = assertThrows(RegctlException.class, () -> store.blobSize(layer.digest()));
            assertEquals(e.getMessage(), sized.getMessage(), "a blob's size is read by the same rules as its bytes");
        }
    }

    private void moveAndLink(Blob blob, Path file, Path linkTarget) throws IOException {
        Files.move(blobPath(blob.digest()), file);
        Files.createSymbolicLink(blobPath(blob.digest()), linkTarget);
    }

    private void replaceWithLink(Blob blob, Path linkTarget) throws IOException {
        Files.delete(blobPath(blob.digest()));
        Files.createSymbolicLink(blobPath(blob.digest()), linkTarget);
    }

    private Path blobPath(Digest digest) {
        return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    private static byte[] read(OciLayoutStore store, Blob blob) throws IOException {
        try (InputStream in = store.openBlob(blob.descriptor())) {
            return in.readAllBytes();
        }
    }

    private static void skopeo(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "skopeo did not finish");
            assertEquals(0, process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
