package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.SignedSchema1;
import dev.regctl.ops.ImageSummary;
import dev.regctl.ops.Inspector;
import dev.regctl.ops.MemoryStore;
import dev.regctl.store.ocidir.NewLayoutStore;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying a signed schema 1 manifest: bytes kept, layers sized by the source, refused where it cannot live. */
class Schema1CopyTest {
    private static final CopyOptions DEFAULTS = new CopyOptions(List.of(), false, false, 4);

    @TempDir
    Path tmp;

    private final MemoryStore source = new MemoryStore("src");
    private final byte[] base = "base layer".getBytes(StandardCharsets.UTF_8);
    private final byte[] top = "top layer, a little longer".getBytes(StandardCharsets.UTF_8);

    /** A signed schema 1 manifest in {@link #source} under {@code v1}, naming two real blobs. */
    private RawManifest signedInSource() {
        String signed = new String(SignedSchema1.signed("2024-01-01T00:00:00Z"), StandardCharsets.UTF_8)
                .replace(SignedSchema1.LAYER_BASE, Digest.sha256(base).toString())
                .replace(SignedSchema1.LAYER_TOP, Digest.sha256(top).toString());
        source.putBlob(new Descriptor(null, Digest.sha256(base), base.length), new java.io.ByteArrayInputStream(base));
        source.putBlob(new Descriptor(null, Digest.sha256(top), top.length), new java.io.ByteArrayInputStream(top));
        RawManifest m = RawManifest.of(signed.getBytes(StandardCharsets.UTF_8), MediaTypes.DOCKER_SCHEMA1_SIGNED);
        source.putManifest(m, "v1");
        return m;
    }

    @Test
    void aCopyPushesTheBytesFetchedAndEveryLayerWithTheSizeTheSourceGives() {
        RawManifest m = signedInSource();
        MemoryStore target = new MemoryStore("dst");
        Copier copier = new Copier(source, target, null, DEFAULTS);
        CopyPlan plan = copier.plan(CopyRequest.parse("reg.example/app:v1", "other.example/app:v1", false));

        assertEquals(List.of(new Descriptor(MediaTypes.DOCKER_SCHEMA1_LAYER, Digest.sha256(base), base.length),
                        new Descriptor(MediaTypes.DOCKER_SCHEMA1_LAYER, Digest.sha256(top), top.length)),
                plan.blobs().stream().map(CopyPlan.BlobStep::blob).toList());
        CopyResult result = copier.execute(plan, CopyListener.NONE);

        assertEquals(m.digest().toString(), result.digest());
        assertArrayEquals(m.bytes(), target.fetchManifest("v1").bytes());
        assertArrayEquals(top, target.blob(Digest.sha256(top)));
        assertArrayEquals(base, target.blob(Digest.sha256(base)));
    }

    @Test
    void aLayoutIsRefusedBeforeAnythingIsWritten() throws Exception {
        signedInSource();
        Path dir = tmp.resolve("layout");
        try (OciLayoutStore layout = OciLayoutStore.create(dir)) {
            Copier copier = new Copier(source, layout, null, DEFAULTS);
            RegctlException e = assertThrows(RegctlException.class,
                    () -> copier.plan(CopyRequest.parse("reg.example/app:v1", "oci:" + dir + ":v1", false)));
            assertEquals(RegctlException.Kind.UNSUPPORTED, e.kind());
            assertTrue(e.getMessage().contains(MediaTypes.DOCKER_SCHEMA1_SIGNED), e.getMessage());
            assertTrue(e.hint().contains("--format v2s2"), e.hint());
        }
        try (Stream<Path> blobs = Files.exists(dir.resolve("blobs")) ? Files.walk(dir.resolve("blobs")) : Stream.empty()) {
            assertEquals(List.of(), blobs.filter(Files::isRegularFile).toList(), "no blob was written");
        }
        assertEquals(List.of(), source.calls("openBlob"), "no blob was even read");
    }

    @Test
    void aLayoutYetToBeCreatedIsRefusedAndNotCreated() {
        signedInSource();
        Path dir = tmp.resolve("new-layout");
        Copier copier = new Copier(source, new NewLayoutStore(dir), null, DEFAULTS);
        RegctlException e = assertThrows(RegctlException.class,
                () -> copier.plan(CopyRequest.parse("reg.example/app:v1", "oci:" + dir + ":v1", false)));
        assertEquals(RegctlException.Kind.UNSUPPORTED, e.kind());
        assertTrue(Files.notExists(dir), "the layout directory is not created");
    }

    @Test
    void inspectListsTheLayersBaseFirstWithTheirSizesAndThePlatformFromTheHistory() {
        RawManifest m = signedInSource();
        ImageSummary s = new Inspector(source).summarise("app:v1", m);
        assertEquals(m.digest().toString(), s.digest());
        assertEquals("linux/arm64", s.platform());
        assertEquals("2020-01-02T03:04:05Z", s.created());
        assertEquals(List.of(Digest.sha256(base).toString(), Digest.sha256(top).toString()),
                s.layers().stream().map(ImageSummary.LayerEntry::digest).toList());
        assertEquals(base.length + top.length, s.layersSize());
    }

    @Test
    void askingForTheConfigOfASchema1ManifestIsUnsupportedNotACrash() {
        RawManifest m = signedInSource();
        RegctlException e = assertThrows(RegctlException.class, () -> new Inspector(source).config(m.manifest().config()));
        assertEquals(RegctlException.Kind.UNSUPPORTED, e.kind());
    }
}
