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
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.store.ContentMismatchException;
import dev.regctl.store.ocidir.TestImages.Image;
import dev.regctl.testing.ImageParts.Blob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layouts made to hurt whoever reads or writes them: links out, special files, lying sizes, huge files. */
class HostileLayoutTest {

    @TempDir
    Path tmp;

    private Path dir;
    private OciLayoutStore store;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        dir = tmp.resolve("layout");
        store = OciLayoutStore.create(dir);
        outside = Files.createDirectories(tmp.resolve("outside"));
    }

    @Nested
    class Links {

        @Test
        void aSymlinkedBlobIsRefusedWithoutBeingRead() throws IOException {
            byte[] secret = "a private key outside the layout".getBytes(StandardCharsets.UTF_8);
            Path secretFile = Files.write(outside.resolve("id_rsa"), secret);
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, secret);
            Files.createSymbolicLink(blobPath(blob.digest()), secretFile);

            RegctlException e = assertThrows(RegctlException.class, () -> store.openBlob(blob.descriptor()));
            assertEquals(Kind.FAILURE, e.kind());
            assertEquals("oci:" + dir + ": blob " + blob.digest()
                    + " is a symlink leading outside the layout; refusing to read it"
                    + " (a blob may be a link only to a regular file inside the layout)", e.getMessage());
        }

        @Test
        void aFifoBlobIsRefusedInsteadOfHanging() throws Exception {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {1, 2, 3});
            assumeTrue(mkfifo(blobPath(blob.digest())), "mkfifo is not available");

            RegctlException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(RegctlException.class, () -> store.openBlob(blob.descriptor())));
            assertEquals("oci:" + dir + ": blob " + blob.digest()
                    + " is not a regular file (a FIFO); refusing to read it", e.getMessage());
        }

        @Test
        void aDirectoryInPlaceOfABlobIsRefused() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {1, 2, 3});
            Files.createDirectory(blobPath(blob.digest()));

            RegctlException e = assertThrows(RegctlException.class, () -> store.openBlob(blob.descriptor()));
            assertEquals("oci:" + dir + ": blob " + blob.digest()
                    + " is not a regular file (a directory); refusing to read it", e.getMessage());
        }

        @Test
        void blobsAreNotReadThroughASymlinkedAlgorithmDirectory() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {4, 5, 6});
            Path elsewhere = Files.createDirectories(outside.resolve("sha256"));
            Files.write(elsewhere.resolve(blob.digest().hex()), blob.bytes());
            Files.delete(dir.resolve("blobs/sha256"));
            Files.createSymbolicLink(dir.resolve("blobs/sha256"), elsewhere);

            RegctlException e = assertThrows(RegctlException.class, () -> store.openBlob(blob.descriptor()));
            assertEquals("oci:" + dir + ": blobs/sha256 is not a directory (a symlink); refusing to use it",
                    e.getMessage());
        }

        @Test
        void blobsAreNotWrittenThroughASymlinkedBlobsDirectory() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {7, 8, 9});
            deleteTree(dir.resolve("blobs"));
            Files.createSymbolicLink(dir.resolve("blobs"), outside);

            RegctlException e = assertThrows(RegctlException.class,
                    () -> store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes())));
            assertEquals("oci:" + dir + ": blobs is not a directory (a symlink); refusing to use it", e.getMessage());
            assertEquals(List.of(), list(outside), "nothing written outside the layout");
        }

        @Test
        void aSymlinkedBlobAtTheDestinationIsReplacedAndItsTargetLeftAlone() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {1, 2, 3, 4});
            Path victim = Files.write(outside.resolve("victim"), new byte[] {9, 9, 9, 9});
            Files.createSymbolicLink(blobPath(blob.digest()), victim);

            assertFalse(store.hasBlob(blob.descriptor()), "a link is not a blob, whatever its target's size");
            store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));

            assertArrayEquals(new byte[] {9, 9, 9, 9}, Files.readAllBytes(victim));
            assertFalse(Files.isSymbolicLink(blobPath(blob.digest())));
            assertArrayEquals(blob.bytes(), Files.readAllBytes(blobPath(blob.digest())));
        }

        @Test
        void aSymlinkedIndexJsonIsRefused() throws IOException {
            Path elsewhere = Files.copy(dir.resolve("index.json"), outside.resolve("index.json"));
            Files.delete(dir.resolve("index.json"));
            Files.createSymbolicLink(dir.resolve("index.json"), elsewhere);

            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.open(dir).listTags());
            assertEquals("oci:" + dir + ": index.json is not a regular file (a symlink); refusing to read it",
                    e.getMessage());
        }

        @Test
        void aSymlinkedOciLayoutFileIsRefused() throws IOException {
            Path elsewhere = Files.copy(dir.resolve("oci-layout"), outside.resolve("oci-layout"));
            Files.delete(dir.resolve("oci-layout"));
            Files.createSymbolicLink(dir.resolve("oci-layout"), elsewhere);

            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.open(dir));
            assertEquals("oci:" + dir + ": oci-layout is not a regular file (a symlink); refusing to read it",
                    e.getMessage());
        }

        @Test
        void creatingOverASymlinkedIndexJsonWritesNothingFirst() throws IOException {
            Path target = Files.createDirectories(tmp.resolve("target"));
            Path elsewhere = Files.writeString(outside.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
            Files.createSymbolicLink(target.resolve("index.json"), elsewhere);

            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.create(target));
            assertEquals("oci:" + target + ": index.json is not a regular file (a symlink); refusing to read it",
                    e.getMessage());
            assertEquals(List.of(target.resolve("index.json")), list(target), "no oci-layout, no blobs/ made first");
            assertEquals(List.of(elsewhere), list(outside));
        }

        @Test
        void creatingOverASymlinkedOciLayoutWritesNothingFirst() throws IOException {
            Path target = Files.createDirectories(tmp.resolve("target"));
            Path elsewhere = Files.writeString(outside.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.createSymbolicLink(target.resolve("oci-layout"), elsewhere);

            RegctlException e = assertThrows(RegctlException.class, () -> new NewLayoutStore(target)
                    .putBlob(Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {1}).descriptor(), new ByteArrayInputStream(new byte[] {1})));
            assertEquals("oci:" + target + ": oci-layout is not a regular file (a symlink); refusing to read it",
                    e.getMessage());
            assertEquals(List.of(target.resolve("oci-layout")), list(target), "no index.json, no blobs/ made first");
        }

        @Test
        void creatingOverASymlinkedBlobsDirectoryWritesNothingFirst() throws IOException {
            Path target = Files.createDirectories(tmp.resolve("target"));
            Files.writeString(target.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.createSymbolicLink(target.resolve("blobs"), outside);

            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.create(target));
            assertEquals("oci:" + target + ": blobs is not a directory (a symlink); refusing to use it", e.getMessage());
            assertEquals(List.of(target.resolve("blobs"), target.resolve("oci-layout")), list(target).stream().sorted().toList(),
                    "no index.json made first");
            assertEquals(List.of(), list(outside));
        }

        @Test
        void creatingOverAnInvalidOciLayoutWritesNothingFirst() throws IOException {
            Path target = Files.createDirectories(tmp.resolve("target"));
            Files.writeString(target.resolve("oci-layout"), "{}");

            assertThrows(RegctlException.class, () -> OciLayoutStore.create(target));
            assertEquals(List.of(target.resolve("oci-layout")), list(target));
        }
    }

    @Nested
    class Sizes {

        @Test
        void anIndexEntryWithANegativeSizeIsRefused() throws IOException {
            Image image = TestImages.image("amd64", new byte[] {1});
            TestImages.put(store, image, "v1");
            String index = Files.readString(dir.resolve("index.json"));
            Files.writeString(dir.resolve("index.json"),
                    index.replace("\"size\":" + image.manifest().size(), "\"size\":-1"));

            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest("v1"));
            assertEquals(Kind.FAILURE, e.kind());
            assertTrue(e.getMessage().startsWith("oci:" + dir + ": index.json has an invalid entry: "), e.getMessage());
            assertTrue(e.getMessage().contains("size -1 is negative"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }

        @Test
        void aBlobLongerThanItsDescriptorIsRefusedBeforeAnyOfItIsRead() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {1, 2, 3});
            Files.write(blobPath(blob.digest()), new byte[1024 * 1024]);

            RegctlException e = assertThrows(RegctlException.class, () -> store.openBlob(blob.descriptor()));
            assertEquals(Kind.FAILURE, e.kind());
            assertInstanceOf(ContentMismatchException.class, e.getCause());
            assertEquals("oci:" + dir + ": opening blob " + blob.digest()
                    + ": size mismatch: expected 3 bytes, the file has 1048576", e.getMessage());
        }

        @Test
        void aManifestEntryOverTheManifestLimitIsRefusedBeforeReading() throws IOException {
            Image image = TestImages.image("amd64", new byte[] {2});
            TestImages.put(store, image, "v1");
            String index = Files.readString(dir.resolve("index.json"));
            Files.writeString(dir.resolve("index.json"),
                    index.replace("\"size\":" + image.manifest().size(), "\"size\":" + (5L << 20)));

            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest("v1"));
            assertEquals("oci:" + dir + ": " + image.manifest().digest()
                    + " is not a manifest: its descriptor says 5242880 bytes, over 4 MiB", e.getMessage());
        }

        @Test
        void aManifestFetchedByDigestIsNotReadPastTheManifestLimit() throws IOException {
            byte[] big = new byte[(4 << 20) + 1];
            Digest digest = Digest.sha256(big);
            Files.write(blobPath(digest), big);

            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest(digest.toString()));
            assertEquals("oci:" + dir + ": " + digest + " is not a manifest: it is over 4 MiB", e.getMessage());
        }
    }

    @Nested
    class HugeIndex {

        @Test
        void aHugeIndexJsonIsRefusedWithoutLoadingIt() throws IOException {
            try (RandomAccessFile sparse = new RandomAccessFile(dir.resolve("index.json").toFile(), "rw")) {
                sparse.setLength(500L << 20);
            }

            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.open(dir).listTags());
            assertEquals(Kind.FAILURE, e.kind());
            assertEquals("oci:" + dir + ": index.json is 524288000 bytes, over the 32 MiB limit; refusing to read it",
                    e.getMessage());
        }

        @Test
        void anIndexJsonAtTheLimitIsRead() throws IOException {
            String empty = "{\"schemaVersion\":2,\"manifests\":[]}";
            byte[] padded = (empty + " ".repeat(LayoutContent.MAX_INDEX_BYTES - empty.length()))
                    .getBytes(StandardCharsets.UTF_8);
            Files.write(dir.resolve("index.json"), padded);

            assertEquals(List.of(), OciLayoutStore.open(dir).listTags());
        }
    }

    private Path blobPath(Digest digest) {
        return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean mkfifo(Path path) throws InterruptedException {
        try {
            return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
