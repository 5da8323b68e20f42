package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException.Kind;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ocidir.TestImages.Image;
import dev.regctl.testing.ImageParts.Blob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which image a tag, a digest or neither names in layouts shaped as other tools write them:
 * go-containerregistry ({@code crane pull --format=oci}) writes entries without a ref.name, and
 * a careless writer can leave one tag on two entries.
 */
class LayoutResolutionTest {

    @TempDir
    Path tmp;

    private Path dir;
    private OciLayoutStore store;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("layout");
        store = OciLayoutStore.create(dir);
    }

    @Test
    void aCraneLayoutOfOneUntaggedImageNeedsNoTag() throws IOException {
        Image image = blobsOf(TestImages.image("amd64", new byte[] {1}));
        writeIndex(entry(image.manifest(), null));

        Descriptor resolved = store.resolve(null, null);

        assertEquals(image.manifest().descriptor(), resolved.bare());
        assertArrayEquals(image.manifest().bytes(), store.fetchManifest(resolved.digest()).bytes());
    }

    @Test
    void aCraneLayoutOfOneIndexNeedsNoTagAndItsChildrenAreFoundByDigest() throws IOException {
        Image amd = blobsOf(TestImages.image("amd64", new byte[] {1}));
        Image arm = blobsOf(TestImages.image("arm64", new byte[] {2}));
        RawManifest index = blob(TestImages.index(amd, arm));
        writeIndex(entry(index, null));

        assertEquals(index.descriptor(), store.resolve(null, null).bare());
        Descriptor child = store.resolve(null, arm.manifest().digest());
        assertEquals(arm.manifest().descriptor(), child.bare());
        assertArrayEquals(arm.manifest().bytes(), store.fetchManifest(arm.manifest().digest().toString()).bytes());
    }

    @Test
    void severalUntaggedImagesWithoutATagIsAUsageErrorNamingTheirDigests() throws IOException {
        Image one = blobsOf(TestImages.image("amd64", new byte[] {1}));
        Image two = blobsOf(TestImages.image("amd64", new byte[] {2}));
        writeIndex(entry(one.manifest(), null), entry(two.manifest(), null));

        RegctlException e = assertThrows(RegctlException.class, () -> store.resolve(null, null));

        assertEquals(Kind.USAGE, e.kind());
        String said = e.getMessage() + " " + e.hint();
        assertTrue(said.contains("2 images"), said);
        assertTrue(said.contains(one.manifest().digest().toString()), said);
        assertTrue(said.contains(two.manifest().digest().toString()), said);
        // Each is still reachable by its digest.
        assertEquals(two.manifest().descriptor(), store.resolve(null, two.manifest().digest()).bare());
    }

    @Test
    void theChoicesNamedAreTagsWhereThereAreAndAtMostTen() throws IOException {
        List<String> entries = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Image image = blobsOf(TestImages.image("amd64", new byte[] {(byte) i}));
            images.add(image);
            entries.add(entry(image.manifest(), i == 0 ? "v0" : null));
        }
        writeIndex(entries.toArray(String[]::new));

        RegctlException e = assertThrows(RegctlException.class, () -> store.resolve(null, null));

        assertEquals(Kind.USAGE, e.kind());
        assertTrue(e.hint().contains("v0"), e.hint());
        assertFalse(e.hint().contains(images.get(0).manifest().digest().toString()), "a tagged image is named by its tag");
        assertTrue(e.hint().contains(images.get(9).manifest().digest().toString()), e.hint());
        assertFalse(e.hint().contains(images.get(10).manifest().digest().toString()), e.hint());
        assertTrue(e.hint().endsWith("..."), e.hint());
    }

    @Test
    void oneTaggedImageNeedsNoTagEither() throws IOException {
        Image image = blobsOf(TestImages.image("amd64", new byte[] {1}));
        writeIndex(entry(image.manifest(), "v1"), entry(image.manifest(), "latest"));

        assertEquals(image.manifest().digest(), store.resolve(null, null).digest());
    }

    @Test
    void referrersListedBesideTheImageDoNotMakeItAmbiguous() throws IOException {
        Image image = blobsOf(TestImages.image("amd64", new byte[] {1}));
        RawManifest signature = blob(TestImages.referrer(image.manifest().descriptor()));
        writeIndex(entry(image.manifest(), "v1"), entry(signature, null));

        assertEquals(image.manifest().digest(), store.resolve(null, null).digest());
    }

    @Test
    void anEmptyLayoutHasNothingToResolve() {
        RegctlException e = assertThrows(RegctlException.class, () -> store.resolve(null, null));
        assertEquals(Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("no image"), e.getMessage());
    }

    @Test
    void aDigestTheLayoutLacksIsNotFound() throws IOException {
        writeIndex();
        Digest missing = Digest.sha256("nothing".getBytes(StandardCharsets.UTF_8));
        RegctlException e = assertThrows(RegctlException.class, () -> store.resolve(null, missing));
        assertEquals(Kind.NOT_FOUND, e.kind());
    }

    @Test
    void oneTagOnTwoImagesIsRefusedNamingTheTagAndBothDigests() throws IOException {
        Image one = blobsOf(TestImages.image("amd64", new byte[] {1}));
        Image two = blobsOf(TestImages.image("amd64", new byte[] {2}));
        writeIndex(entry(one.manifest(), "v1"), entry(two.manifest(), "v1"));

        for (RegctlException e : List.of(
                assertThrows(RegctlException.class, () -> store.resolve("v1", null)),
                assertThrows(RegctlException.class, () -> store.fetchManifest("v1")),
                assertThrows(RegctlException.class, () -> store.headManifest("v1")))) {
            assertEquals(Kind.USAGE, e.kind());
            String said = e.getMessage() + " " + e.hint();
            assertTrue(said.contains("\"v1\""), said);
            assertTrue(said.contains(one.manifest().digest().toString()), said);
            assertTrue(said.contains(two.manifest().digest().toString()), said);
        }
        // Without a tag the tag is no choice: both are named by digest.
        RegctlException neither = assertThrows(RegctlException.class, () -> store.resolve(null, null));
        assertEquals(Kind.USAGE, neither.kind());
        assertEquals("choices: " + one.manifest().digest() + ", " + two.manifest().digest(), neither.hint());
        // The digest settles which one is meant.
        assertEquals(two.manifest().digest(), store.resolve("v1", two.manifest().digest()).digest());
        assertEquals(one.manifest().digest(), store.resolve(null, one.manifest().digest()).digest());
    }

    @Test
    void oneTagTwiceOnTheSameImageIsNotAmbiguous() throws IOException {
        Image image = blobsOf(TestImages.image("amd64", new byte[] {1}));
        writeIndex(entry(image.manifest(), "v1"), entry(image.manifest(), "v1"));

        assertEquals(image.manifest().digest(), store.resolve("v1", null).digest());
        assertArrayEquals(image.manifest().bytes(), store.fetchManifest("v1").bytes());
    }

    @Test
    void aTagWithADigestItDoesNotPointAtIsNotFound() throws IOException {
        Image one = blobsOf(TestImages.image("amd64", new byte[] {1}));
        Image two = blobsOf(TestImages.image("amd64", new byte[] {2}));
        writeIndex(entry(one.manifest(), "v1"), entry(two.manifest(), null));

        RegctlException e = assertThrows(RegctlException.class, () -> store.resolve("v1", two.manifest().digest()));
        assertEquals(Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains(two.manifest().digest().toString()), e.getMessage());
    }

    @Test
    void aTagIsAnOpaqueNameEvenWithColonsAndSlashes() throws IOException {
        Image image = blobsOf(TestImages.image("amd64", new byte[] {1}));
        String tag = "docker.io/library/hello:1.0";
        store.putManifest(image.manifest(), tag);

        assertEquals(List.of(tag), store.listTags());
        assertEquals(image.manifest().descriptor(), store.resolve(tag, null).bare());
        assertArrayEquals(image.manifest().bytes(), store.fetchManifest(tag).bytes());
        assertEquals(Optional.of(image.manifest().descriptor()), store.headManifest(tag));
        assertEquals(Kind.NOT_FOUND, assertThrows(RegctlException.class, () -> store.resolve("1.0", null)).kind());
        store.deleteTag(tag);
        assertEquals(List.of(), store.listTags());
    }

    @Test
    void anEntryWithoutMediaTypeOrSizeIsCompletedFromItsBlob() throws IOException {
        Image image = blobsOf(TestImages.image("amd64", new byte[] {1}));
        writeIndex("{\"digest\":\"" + image.manifest().digest() + "\"}");

        assertEquals(image.manifest().descriptor(), store.resolve(null, null).bare());
    }

    private Image blobsOf(Image image) {
        image.config().putInto(store);
        for (Blob layer : image.layers()) {
            layer.putInto(store);
        }
        blob(image.manifest());
        return image;
    }

    private RawManifest blob(RawManifest manifest) {
        store.putBlob(manifest.descriptor(), new ByteArrayInputStream(manifest.bytes()));
        return manifest;
    }

    /** An index.json entry as go-containerregistry writes it: no annotations unless tagged. */
    private static String entry(RawManifest manifest, String tag) {
        return "{\"mediaType\":\"" + manifest.mediaType() + "\",\"size\":" + manifest.size()
                + ",\"digest\":\"" + manifest.digest() + "\""
                + (tag == null ? "" : ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}")
                + "}";
    }

    private void writeIndex(String... entries) throws IOException {
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + List.of(entries).stream().collect(Collectors.joining(",")) + "]}");
    }
}
