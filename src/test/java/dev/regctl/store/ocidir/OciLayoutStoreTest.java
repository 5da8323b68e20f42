package dev.regctl.store.ocidir;

import static dev.regctl.store.ocidir.TestImages.Image;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.RegctlException.Kind;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.testing.ImageParts.Blob;
import dev.regctl.testing.ImageParts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path dir;
    private OciLayoutStore store;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("layout");
        store = OciLayoutStore.create(dir);
    }

    @AfterEach
    void noTemporaryFilesLeft() throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                List<Path> temps = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
                assertEquals(List.of(), temps, "temporary files left in the layout");
            }
        }
    }

    @Nested
    class OpeningAndCreating {

        @Test
        void createWritesTheSpecFilesIntoANewDirectory() throws IOException {
            Path fresh = tmp.resolve("a/b/c");
            OciLayoutStore.create(fresh);
            assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(fresh.resolve("oci-layout")));
            assertEquals(JSON.readTree("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                    + "\"manifests\":[]}"), JSON.readTree(fresh.resolve("index.json").toFile()));
            assertTrue(Files.isDirectory(fresh.resolve("blobs/sha256")));
        }

        @Test
        void createOnAnExistingLayoutKeepsItsContent() {
            Image image = TestImages.image("amd64", new byte[] {1});
            TestImages.put(store, image, "v1");
            OciLayoutStore again = OciLayoutStore.create(dir);
            assertEquals(List.of("v1"), again.listTags());
            assertArrayEquals(image.manifest().bytes(), again.fetchManifest("v1").bytes());
        }

        @Test
        void createFinishesAHalfMadeLayout() throws IOException {
            Files.delete(dir.resolve("index.json"));
            OciLayoutStore.create(dir);
            assertEquals(List.of(), OciLayoutStore.open(dir).listTags());
        }

        @Test
        void createRefusesADirectoryWithOtherFiles() throws IOException {
            Path home = Files.createDirectories(tmp.resolve("home"));
            Files.writeString(home.resolve("notes.txt"), "mine");
            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.create(home));
            assertEquals(Kind.USAGE, e.kind());
            assertTrue(e.getMessage().contains("oci:" + home), e.getMessage());
            try (Stream<Path> files = Files.list(home)) {
                assertEquals(List.of(home.resolve("notes.txt")), files.toList());
            }
        }

        @Test
        void openFindsAnExistingLayout() {
            assertEquals("oci:" + dir, OciLayoutStore.open(dir).name());
        }

        @Test
        void openRejectsAMissingDirectory() {
            Path missing = tmp.resolve("missing");
            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.open(missing));
            assertEquals(Kind.NOT_FOUND, e.kind());
            assertEquals("oci:" + missing + ": no such directory", e.getMessage());
        }

        @Test
        void openRejectsADirectoryWithoutOciLayout() throws IOException {
            Path plain = Files.createDirectories(tmp.resolve("plain"));
            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.open(plain));
            assertEquals(Kind.NOT_FOUND, e.kind());
            assertEquals("oci:" + plain + ": not an OCI image layout: no oci-layout file", e.getMessage());
        }

        @Test
        void openRejectsALayoutWithoutIndex() throws IOException {
            Files.delete(dir.resolve("index.json"));
            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.open(dir));
            assertEquals(Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().endsWith("no index.json file"), e.getMessage());
        }

        @Test
        void openRejectsAnOciLayoutFileWithoutVersion() throws IOException {
            Files.writeString(dir.resolve("oci-layout"), "{}");
            RegctlException e = assertThrows(RegctlException.class, () -> OciLayoutStore.open(dir));
            assertEquals(Kind.FAILURE, e.kind());
            assertTrue(e.getMessage().contains("imageLayoutVersion"), e.getMessage());
        }

        @Test
        void unreadableIndexIsAFailureNamingTheFile() throws IOException {
            Files.writeString(dir.resolve("index.json"), "{not json");
            RegctlException e = assertThrows(RegctlException.class, () -> store.listTags());
            assertEquals(Kind.FAILURE, e.kind());
            assertTrue(e.getMessage().startsWith("oci:" + dir + ": cannot read index.json"), e.getMessage());
        }
    }

    @Nested
    class Blobs {

        @Test
        void twoMebibyteBlobStreamsInAndOut() throws IOException {
            int size = 2 * 1024 * 1024;
            Digest digest = digestOfGenerated(size, 7);
            Descriptor d = new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, size);
            // Generated on the fly: the store sees a stream, never an array it could hold on to.
            store.putBlob(d, generated(size, 7));

            assertTrue(store.hasBlob(d));
            assertEquals(size, Files.size(dir.resolve("blobs/sha256/" + digest.hex())));
            MessageDigest hasher = digest.newHasher();
            long total = 0;
            try (InputStream in = store.openBlob(d)) {
                byte[] buf = new byte[16 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    hasher.update(buf, 0, n);
                    total += n;
                }
            }
            assertEquals(size, total);
            assertTrue(digest.matches(hasher));
        }

        @Test
        void emptyBlobRoundTrips() throws IOException {
            Blob empty = Blob.of("application/octet-stream", new byte[0]);
            store.putBlob(empty.descriptor(), new ByteArrayInputStream(empty.bytes()));
            assertTrue(store.hasBlob(empty.descriptor()));
            try (InputStream in = store.openBlob(empty.descriptor())) {
                assertEquals(-1, in.read());
            }
        }

        @Test
        void hasBlobComparesTheSize() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, ImageParts.random(1000, 1));
            assertFalse(store.hasBlob(blob.descriptor()));
            store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));
            assertTrue(store.hasBlob(blob.descriptor()));
            assertFalse(store.hasBlob(new Descriptor(blob.descriptor().mediaType(), blob.digest(), 999)));
            Files.write(blobPath(blob.digest()), new byte[10]);
            assertFalse(store.hasBlob(blob.descriptor()), "a truncated file is not the blob");
        }

        @Test
        void openingAMissingBlobIsNotFound() {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, new byte[] {1, 2, 3});
            RegctlException e = assertThrows(RegctlException.class, () -> store.openBlob(blob.descriptor()));
            assertEquals(Kind.NOT_FOUND, e.kind());
            assertEquals("oci:" + dir + ": blob " + blob.digest() + " not found", e.getMessage());
        }

        @Test
        void aFlippedByteOnDiskFailsTheReadWithBothDigests() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, ImageParts.random(100_000, 2));
            store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));
            byte[] onDisk = Files.readAllBytes(blobPath(blob.digest()));
            onDisk[50_000] ^= 0x01;
            Files.write(blobPath(blob.digest()), onDisk);

            assertTrue(store.hasBlob(blob.descriptor()), "same size, so present without hashing");
            try (InputStream in = store.openBlob(blob.descriptor())) {
                IOException e = assertThrows(IOException.class, () -> in.transferTo(new ByteArrayOutputStream()));
                assertEquals("digest mismatch: expected " + blob.digest() + ", got " + Digest.sha256(onDisk)
                        + " (100000 bytes)", e.getMessage());
            }
        }

        @Test
        void wrongContentLeavesNothingBehind() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, ImageParts.random(300_000, 3));
            byte[] wrong = blob.bytes().clone();
            wrong[wrong.length - 1] ^= 0x10;

            RegctlException e = assertThrows(RegctlException.class,
                    () -> store.putBlob(blob.descriptor(), new ByteArrayInputStream(wrong)));
            assertEquals(Kind.FAILURE, e.kind());
            assertEquals("oci:" + dir + ": storing blob " + blob.digest() + ": digest mismatch: expected "
                    + blob.digest() + ", got " + Digest.sha256(wrong) + " (300000 bytes)", e.getMessage());
            assertBlobsDirectoryEmpty();
            assertFalse(store.hasBlob(blob.descriptor()));
        }

        @Test
        void shortAndLongContentLeaveNothingBehind() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, ImageParts.random(70_000, 4));
            byte[] shorter = java.util.Arrays.copyOf(blob.bytes(), 69_999);
            byte[] longer = java.util.Arrays.copyOf(blob.bytes(), 70_001);

            RegctlException shortFailure = assertThrows(RegctlException.class,
                    () -> store.putBlob(blob.descriptor(), new ByteArrayInputStream(shorter)));
            assertTrue(shortFailure.getMessage().contains("digest mismatch: expected " + blob.digest()
                    + ", got " + Digest.sha256(shorter) + " (69999 bytes, expected 70000)"), shortFailure.getMessage());
            RegctlException longFailure = assertThrows(RegctlException.class,
                    () -> store.putBlob(blob.descriptor(), new ByteArrayInputStream(longer)));
            assertTrue(longFailure.getMessage().endsWith("size mismatch: expected 70000 bytes, got more"),
                    longFailure.getMessage());
            assertBlobsDirectoryEmpty();
        }

        @Test
        void aFailingSourceLeavesNothingBehind() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, ImageParts.random(200_000, 5));
            InputStream breaksHalfway = new InputStream() {
                private final InputStream half = new ByteArrayInputStream(blob.bytes(), 0, 100_000);

                @Override
                public int read() throws IOException {
                    return read(new byte[1], 0, 1);
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = half.read(b, off, len);
                    if (n < 0) {
                        throw new IOException("connection reset");
                    }
                    return n;
                }
            };
            RegctlException e = assertThrows(RegctlException.class,
                    () -> store.putBlob(blob.descriptor(), breaksHalfway));
            assertEquals(Kind.FAILURE, e.kind());
            assertEquals("oci:" + dir + ": storing blob " + blob.digest() + ": connection reset", e.getMessage());
            assertBlobsDirectoryEmpty();
        }

        @Test
        void puttingABlobThatIsThereReadsNothing() {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, ImageParts.random(5000, 6));
            store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));
            store.putBlob(blob.descriptor(), mustNotBeRead());
            assertTrue(store.hasBlob(blob.descriptor()));
        }

        @Test
        void aWrongSizedFileUnderTheBlobsNameIsReplaced() throws IOException {
            Blob blob = Blob.of(MediaTypes.OCI_LAYER_GZIP, ImageParts.random(5000, 8));
            Files.createDirectories(blobPath(blob.digest()).getParent());
            Files.write(blobPath(blob.digest()), new byte[] {1, 2});
            store.putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));
            assertArrayEquals(blob.bytes(), Files.readAllBytes(blobPath(blob.digest())));
        }
    }

    @Nested
    class Manifests {

        @Test
        void imageRoundTripsByTagAndByDigest() throws IOException {
            Image image = TestImages.image("amd64", "hello".getBytes(StandardCharsets.UTF_8));
            TestImages.put(store, image, "v1");
            RawManifest m = image.manifest();

            RawManifest byTag = store.fetchManifest("v1");
            assertArrayEquals(m.bytes(), byTag.bytes());
            assertEquals(MediaTypes.OCI_MANIFEST, byTag.mediaType());
            assertEquals(m.digest(), byTag.digest());
            RawManifest byDigest = store.fetchManifest(m.digest().toString());
            assertArrayEquals(m.bytes(), byDigest.bytes());
            assertEquals(Optional.of(m.descriptor()), store.headManifest("v1"));
            assertEquals(Optional.of(m.descriptor()), store.headManifest(m.digest().toString()));
            assertEquals(List.of("v1"), store.listTags());

            JsonNode entry = index().get("manifests").get(0);
            assertEquals(JSON.readTree("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
                    + m.digest() + "\",\"size\":" + m.size()
                    + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}"), entry);
        }

        @Test
        void indexRoundTripsWithItsChildren() {
            Image amd = TestImages.image("amd64", new byte[] {1});
            Image arm = TestImages.image("arm64", new byte[] {2});
            RawManifest index = TestImages.index(amd, arm);
            TestImages.put(store, amd, null);
            TestImages.put(store, arm, null);
            store.putManifest(index, "multi");

            RawManifest fetched = store.fetchManifest("multi");
            assertEquals(MediaTypes.OCI_INDEX, fetched.mediaType());
            assertEquals(2, fetched.index().manifests().size());
            for (var child : fetched.index().manifests()) {
                assertTrue(store.headManifest(child.digest().toString()).isPresent());
            }
            assertEquals(List.of("multi"), store.listTags());
        }

        @Test
        void aTagMovesInPlaceToTheNewManifest() throws IOException {
            Image one = TestImages.image("amd64", new byte[] {1});
            Image two = TestImages.image("amd64", new byte[] {2});
            TestImages.put(store, one, "a");
            TestImages.put(store, one, "v1");
            TestImages.put(store, one, "b");
            TestImages.put(store, two, "v1");

            assertArrayEquals(two.manifest().bytes(), store.fetchManifest("v1").bytes());
            assertArrayEquals(one.manifest().bytes(), store.fetchManifest("a").bytes());
            assertEquals(List.of("a", "v1", "b"), store.listTags());
            assertEquals(3, index().get("manifests").size());
        }

        @Test
        void twoTagsOnOneDigest() throws IOException {
            Image image = TestImages.image("amd64", new byte[] {3});
            TestImages.put(store, image, "latest");
            store.putManifest(image.manifest(), "1.0");

            assertEquals(List.of("latest", "1.0"), store.listTags());
            assertArrayEquals(store.fetchManifest("latest").bytes(), store.fetchManifest("1.0").bytes());
            assertEquals(2, index().get("manifests").size());
        }

        @Test
        void withoutTagAnUntaggedEntryIsAddedOnce() throws IOException {
            Image image = TestImages.image("amd64", new byte[] {4});
            TestImages.put(store, image, null);
            store.putManifest(image.manifest(), null);

            JsonNode manifests = index().get("manifests");
            assertEquals(1, manifests.size());
            assertNull(manifests.get(0).get("annotations"));
            assertEquals(image.manifest().digest().toString(), manifests.get(0).get("digest").asText());
            assertEquals(List.of(), store.listTags());
            assertArrayEquals(image.manifest().bytes(), store.fetchManifest(image.manifest().digest().toString()).bytes());

            // A tag adds its own entry; afterwards the digest is referenced, so none is added.
            store.putManifest(image.manifest(), "t");
            store.putManifest(image.manifest(), null);
            assertEquals(2, index().get("manifests").size());
            assertEquals(List.of("t"), store.listTags());
        }

        @Test
        void rerunningPutsChangesNothing() throws IOException {
            Image image = TestImages.image("amd64", new byte[] {5});
            TestImages.put(store, image, "v1");
            byte[] indexBefore = Files.readAllBytes(dir.resolve("index.json"));
            List<Path> filesBefore = files();

            TestImages.put(store, image, "v1");
            store.putManifest(image.manifest(), "v1");

            assertArrayEquals(indexBefore, Files.readAllBytes(dir.resolve("index.json")));
            assertEquals(filesBefore, files());
        }

        @Test
        void entriesAndFieldsOfOtherToolsSurviveUpdates() throws IOException {
            String foreign = "{\"schemaVersion\":2,\"manifests\":["
                    + "{\"mediaType\":\"application/xml\",\"size\":7143,\"digest\":\"sha256:"
                    + "b3d63d132d21c3ff4c35a061adf23cf43da8ae054247e32faa95494d904a007e\","
                    + "\"annotations\":{\"org.freedesktop.specifications.metainfo.type\":\"AppStream\"}}],"
                    + "\"annotations\":{\"com.example.index.revision\":\"r124356\"},\"x-extra\":[1,2]}";
            Files.writeString(dir.resolve("index.json"), foreign);
            Image image = TestImages.image("amd64", new byte[] {6});
            TestImages.put(store, image, "v1");

            JsonNode index = index();
            assertEquals("r124356", index.path("annotations").path("com.example.index.revision").asText());
            assertEquals(JSON.readTree("[1,2]"), index.get("x-extra"));
            assertEquals(2, index.get("manifests").size());
            assertEquals(JSON.readTree(foreign).get("manifests").get(0), index.get("manifests").get(0));
            assertEquals(List.of("v1"), store.listTags());
        }

        @Test
        void retaggingTheSameManifestKeepsTheEntrysAnnotationsAndMovingTheTagDropsThem() throws IOException {
            Image image = TestImages.image("amd64", new byte[] {14});
            TestImages.put(store, image, null);
            RawManifest m = image.manifest();
            Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                    + m.mediaType() + "\",\"digest\":\"" + m.digest() + "\",\"size\":" + m.size()
                    + ",\"annotations\":{\"io.containerd.image.name\":\"example.com/app:v1\","
                    + "\"org.opencontainers.image.ref.name\":\"v1\"}}]}");

            store.putManifest(m, "v1");
            assertEquals("example.com/app:v1",
                    index().at("/manifests/0/annotations/io.containerd.image.name").asText());

            Image other = TestImages.image("amd64", new byte[] {15});
            TestImages.put(store, other, "v1");
            JsonNode entry = index().at("/manifests/0");
            assertEquals(other.manifest().digest().toString(), entry.get("digest").asText());
            assertEquals(JSON.readTree("{\"org.opencontainers.image.ref.name\":\"v1\"}"), entry.get("annotations"));
        }

        @Test
        void mediaTypeComesFromTheIndexEntryWhenTheDocumentHasNone() {
            byte[] bytes = ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG
                    + "\",\"digest\":\"" + Digest.sha256(new byte[0]) + "\",\"size\":0},\"layers\":[]}")
                    .getBytes(StandardCharsets.UTF_8);
            store.putManifest(new RawManifest(MediaTypes.DOCKER_MANIFEST, bytes, Digest.sha256(bytes)), "d");

            assertEquals(MediaTypes.DOCKER_MANIFEST, store.fetchManifest("d").mediaType());
            assertEquals(MediaTypes.DOCKER_MANIFEST, store.fetchManifest(Digest.sha256(bytes).toString()).mediaType());
        }

        @Test
        void refNamesThatLookLikeReferencesAreTags() {
            Image image = TestImages.image("amd64", new byte[] {16});
            TestImages.put(store, image, "app:latest");
            store.putManifest(image.manifest(), "example.com/app:1.0");

            assertEquals(List.of("app:latest", "example.com/app:1.0"), store.listTags());
            assertArrayEquals(image.manifest().bytes(), store.fetchManifest("app:latest").bytes());
            assertArrayEquals(image.manifest().bytes(), store.fetchManifest("example.com/app:1.0").bytes());
        }

        @Test
        void aMalformedDigestIsBadInput() {
            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest("sha256:abc"));
            assertEquals(Kind.USAGE, e.kind());
        }

        @Test
        void anUnknownTagIsNotFoundNamingTagAndLayout() {
            TestImages.put(store, TestImages.image("amd64", new byte[] {7}), "v1");
            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest("v2"));
            assertEquals(Kind.NOT_FOUND, e.kind());
            assertEquals("oci:" + dir + ": tag \"v2\" not found", e.getMessage());
            assertEquals("tags in the layout: v1", e.hint());
            assertEquals(Optional.empty(), store.headManifest("v2"));
        }

        @Test
        void anUnknownDigestIsNotFound() {
            String digest = Digest.sha256(new byte[] {42}).toString();
            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest(digest));
            assertEquals(Kind.NOT_FOUND, e.kind());
            assertEquals("oci:" + dir + ": manifest " + digest + " not found", e.getMessage());
            assertEquals(Optional.empty(), store.headManifest(digest));
        }

        @Test
        void aLayerIsNotAManifest() {
            Image image = TestImages.image("amd64", new byte[] {8});
            TestImages.put(store, image, "v1");
            String layer = image.layers()[0].descriptor().digest().toString();
            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest(layer));
            assertEquals(Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().contains(layer + " is not a manifest"), e.getMessage());
            assertEquals(Optional.empty(), store.headManifest(layer));
            assertEquals(Optional.empty(), store.headManifest(image.config().descriptor().digest().toString()));
        }

        @Test
        void aCorruptedManifestFailsWithBothDigests() throws IOException {
            Image image = TestImages.image("amd64", new byte[] {9});
            TestImages.put(store, image, "v1");
            Path file = blobPath(image.manifest().digest());
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 2] = (byte) ' ';
            Files.write(file, bytes);

            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest("v1"));
            assertEquals(Kind.FAILURE, e.kind());
            assertTrue(e.getMessage().contains("digest mismatch: expected " + image.manifest().digest()
                    + ", got " + Digest.sha256(bytes)), e.getMessage());
        }

        @Test
        void aTagWhoseBlobIsMissingSaysSo() throws IOException {
            Image image = TestImages.image("amd64", new byte[] {10});
            TestImages.put(store, image, "v1");
            Files.delete(blobPath(image.manifest().digest()));

            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest("v1"));
            assertEquals(Kind.NOT_FOUND, e.kind());
            assertEquals("oci:" + dir + ": tag \"v1\" points at " + image.manifest().digest()
                    + ", whose blob is missing", e.getMessage());
            assertEquals(Optional.empty(), store.headManifest("v1"));
        }

        @Test
        void anEmptyTagIsBadInput() {
            Image image = TestImages.image("amd64", new byte[] {11});
            RegctlException e = assertThrows(RegctlException.class, () -> store.putManifest(image.manifest(), " "));
            assertEquals(Kind.USAGE, e.kind());
        }

        @Test
        void deleteRemovesEveryEntryForTheDigestAndKeepsBlobs() throws IOException {
            Image doomed = TestImages.image("amd64", new byte[] {12});
            Image kept = TestImages.image("amd64", new byte[] {13});
            TestImages.put(store, doomed, "a");
            TestImages.put(store, kept, "keep");
            store.putManifest(doomed.manifest(), "b");
            TestImages.put(store, doomed, null);

            store.deleteManifest(doomed.manifest().digest());

            assertEquals(List.of("keep"), store.listTags());
            assertEquals(1, index().get("manifests").size());
            assertTrue(Files.exists(blobPath(doomed.manifest().digest())));
            assertTrue(store.hasBlob(doomed.layers()[0].descriptor()));
            RegctlException again = assertThrows(RegctlException.class,
                    () -> store.deleteManifest(doomed.manifest().digest()));
            assertEquals(Kind.NOT_FOUND, again.kind());
        }
    }

    private JsonNode index() throws IOException {
        return JSON.readTree(dir.resolve("index.json").toFile());
    }

    private Path blobPath(Digest digest) {
        return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.sorted().toList();
        }
    }

    private void assertBlobsDirectoryEmpty() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("blobs/sha256"))) {
            assertEquals(List.of(), files.toList());
        }
    }

    private static InputStream mustNotBeRead() {
        return new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("content was read");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                throw new AssertionError("content was read");
            }
        };
    }

    static Digest digestOfGenerated(int size, long seed) throws IOException {
        MessageDigest hasher = Digest.sha256(new byte[0]).newHasher();
        try (InputStream in = generated(size, seed)) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                hasher.update(buf, 0, n);
            }
        }
        return new Digest("sha256", HexFormat.of().formatHex(hasher.digest()));
    }

    /**
     * {@code size} pseudo-random bytes produced as they are read; byte {@code i} depends only on
     * {@code i}, so the content is the same however it is read.
     */
    static InputStream generated(int size, long seed) {
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                return position == size ? -1 : byteAt(position++) & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position == size) {
                    return -1;
                }
                int n = Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = byteAt(position++);
                }
                return n;
            }

            private byte byteAt(long i) {
                return (byte) ((i * 0x9E3779B97F4A7C15L + seed) >>> 29);
            }
        };
    }
}
