package dev.regctl.ops.append;

import static dev.regctl.testing.ImageParts.blob;
import static dev.regctl.testing.ImageParts.gzip;
import static dev.regctl.testing.ImageParts.json;
import static dev.regctl.testing.ImageParts.random;
import static dev.regctl.testing.ImageParts.tar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What append writes to its scratch directory: the new layers and manifests, never a copy of
 * BASE's layers, whether BASE is a layout or an archive (for a registry BASE, see AppendIT); its
 * layers reach TARGET once, with their bytes and digests.
 */
class AppenderDiskTest {
    private static final int LAYER_FILE = 4 << 20;

    @TempDir
    Path dir;

    /** An image whose one layer is a 4 MiB file of random bytes, so the gzip layer is about as big. */
    private byte[] base(Path layoutDir) {
        OciLayoutStore layout = OciLayoutStore.create(layoutDir);
        byte[] tar = tar("data.bin", random(LAYER_FILE, 22));
        byte[] gz = gzip(tar);
        Descriptor layer = blob(layout, MediaTypes.OCI_LAYER_GZIP, gz);
        Descriptor config = blob(layout, MediaTypes.OCI_CONFIG, ("{\"os\":\"linux\",\"architecture\":\"amd64\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + dev.regctl.oci.Digest.sha256(tar) + "\"]},"
                + "\"history\":[{\"created_by\":\"base\"}]}").getBytes(StandardCharsets.UTF_8));
        layout.putManifest(RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(config) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8),
                MediaTypes.OCI_MANIFEST), "base");
        return gz;
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "oci-archive"})
    void baseLayersAreNeverWrittenToTheScratchDirectoryAndReachTheTargetWhole(String kind) throws Exception {
        Path layoutDir = dir.resolve("base");
        byte[] layer = base(layoutDir);
        String base = "oci:" + layoutDir + ":base";
        if (kind.equals("oci-archive")) {
            Path archive = dir.resolve("base.tar");
            Process tar = new ProcessBuilder("tar", "-C", layoutDir.toString(), "-cf", archive.toString(), ".").start();
            assertEquals(0, tar.waitFor());
            base = "oci-archive:" + archive + ":base";
        }
        Path added = Files.writeString(dir.resolve("notes.txt"), "notes");
        Changes changes = new Changes(List.of(SourceFiles.read(AddedPath.parse(added.toString()))), Changes.ROOT,
                ConfigEdits.none());
        List<Long> scratchBytes = new ArrayList<>();
        ImageBuilder jib = JibLoader.builder();
        ImageBuilder measured = (session, layout, image, c, scratch) -> {
            RawManifest built = jib.build(session, layout, image, c, scratch);
            // Everything of the run is still there: the scratch layout and every build's files.
            scratchBytes.add(bytesUnder(scratch.getParent()));
            return built;
        };

        AppendResult result;
        try (Session session = new Session(new Session.Options(dir.resolve("docker"), false, null, Map.of()), List.of())) {
            result = new Appender(session, measured, 2).append(ImageRef.parse(base),
                    ImageRef.parse("oci:" + dir.resolve("target") + ":v1"), changes, List.of(), false);
        }

        assertEquals(1, scratchBytes.size());
        assertTrue(scratchBytes.get(0) < LAYER_FILE / 4, "BASE's 4 MiB layer copied into scratch: "
                + scratchBytes.get(0) + " bytes there");
        try (ImageStore target = OciLayoutStore.open(dir.resolve("target"))) {
            RawManifest image = target.fetchManifest("v1");
            assertEquals(result.digest(), image.digest().toString());
            Descriptor kept = image.manifest().layers().get(0);
            try (InputStream in = target.openBlob(kept)) {
                assertArrayEquals(layer, in.readAllBytes(), "BASE's layer, byte for byte");
            }
            assertEquals(2, image.manifest().layers().size());
        }
    }

    private static long bytesUnder(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
