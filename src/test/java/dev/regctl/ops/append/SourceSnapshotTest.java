package dev.regctl.ops.append;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Session;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of an {@code --add} are read once, as they were checked: whatever is swapped into the
 * tree after the check (a link for a file, a link for a directory on the way, another file), the
 * bytes it leads to never reach the copy Jib builds from, nor the pushed layer.
 */
class SourceSnapshotTest {
    private static final String SECRET = "a private key outside the tree";

    @TempDir
    Path dir;

    private Path app;
    private Path secret;
    private Path snapshot;

    @BeforeEach
    void tree() throws IOException {
        app = Files.createDirectories(dir.resolve("app/conf"));
        Files.writeString(dir.resolve("app/run.sh"), "#!/bin/sh\n");
        Files.writeString(app.resolve("app.yaml"), "port: 80\n");
        app = dir.resolve("app");
        secret = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("app.yaml"), SECRET);
        snapshot = Files.createDirectories(dir.resolve("scratch"));
    }

    private LayerFiles checked() {
        return SourceFiles.read(AddedPath.parse(app + ":/opt/app"));
    }

    @Test
    void theCopiesHoldTheCheckedFilesUnderTheSamePathsAndModes() throws IOException {
        LayerFiles layer = checked();
        LayerFiles copy = SourceSnapshot.take(List.of(layer), snapshot).get(0);
        assertEquals(layer.name(), copy.name());
        assertEquals(layer.files().stream().map(e -> e.path() + " " + e.mode() + " " + e.directory()).toList(),
                copy.files().stream().map(e -> e.path() + " " + e.mode() + " " + e.directory()).toList());
        for (int i = 0; i < layer.files().size(); i++) {
            Path source = copy.files().get(i).source();
            assertTrue(source.startsWith(snapshot), source + " is a copy in the scratch directory");
            if (!layer.files().get(i).directory()) {
                assertArrayEquals(Files.readAllBytes(layer.files().get(i).source()), Files.readAllBytes(source));
            }
        }

        Path file = Files.writeString(dir.resolve("lone.txt"), "lone");
        LayerFiles lone = SourceSnapshot.take(List.of(SourceFiles.read(AddedPath.parse(file.toString()))),
                Files.createDirectories(dir.resolve("scratch-2"))).get(0);
        assertEquals("lone", Files.readString(lone.files().get(0).source()));
    }

    @Test
    void aFileSwappedForALinkAfterTheCheckIsRefusedAndItsTargetNeverRead() throws IOException {
        LayerFiles layer = checked();
        Path file = app.resolve("conf/app.yaml");
        Files.delete(file);
        Files.createSymbolicLink(file, secret);

        RegctlException e = assertThrows(RegctlException.class, () -> SourceSnapshot.take(List.of(layer), snapshot));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("--add: " + dir.toRealPath().resolve("app/conf/app.yaml")
                + " changed after it was checked (it is now a symbolic link); refusing to read it", e.getMessage());
        assertSecretNotIn(snapshot);
    }

    @Test
    void aDirectoryOnTheWaySwappedForALinkIsNotFollowed() throws IOException {
        LayerFiles layer = checked();
        Files.move(app.resolve("conf"), dir.resolve("conf-moved"));
        Files.createSymbolicLink(app.resolve("conf"), secret.getParent());

        RegctlException e = assertThrows(RegctlException.class, () -> SourceSnapshot.take(List.of(layer), snapshot));
        assertTrue(e.getMessage().contains("(a symbolic link is now in its place or on its way)"), e.getMessage());
        assertSecretNotIn(snapshot);
    }

    @Test
    void aLinkSwappedInBetweenTheLastCheckAndTheOpenIsNotFollowed() throws IOException {
        LayerFiles layer = checked();
        Path file = app.resolve("conf/app.yaml").toRealPath();
        SourceSnapshot racing = new SourceSnapshot(opening -> {
            if (opening.equals(file)) {
                try {
                    Files.delete(file);
                    Files.createSymbolicLink(file, secret);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });

        RegctlException e = assertThrows(RegctlException.class, () -> racing.copy(List.of(layer), snapshot));
        assertTrue(e.getMessage().startsWith("--add: " + file + " changed after it was checked"), e.getMessage());
        assertSecretNotIn(snapshot);
    }

    @Test
    void anotherFilePutInThePlaceOfTheCheckedOneIsRefused() throws IOException {
        LayerFiles layer = checked();
        Path file = app.resolve("conf/app.yaml");
        // Made before the old one goes, as an editor saving by rename does, so it cannot reuse its inode.
        Files.move(Files.copy(secret, app.resolve("conf/.app.yaml.swp")), file, StandardCopyOption.REPLACE_EXISTING);

        RegctlException e = assertThrows(RegctlException.class, () -> SourceSnapshot.take(List.of(layer), snapshot));
        assertTrue(e.getMessage().contains("(another file was put in its place)"), e.getMessage());
        assertSecretNotIn(snapshot);
    }

    @Test
    void appendReadsTheFilesOnceAsCheckedSoASwappedInLinkNeverReachesTheLayer() throws IOException {
        try (OciLayoutStore base = OciLayoutStore.create(dir.resolve("base"))) {
            BaseImages.image(base, "v1", "linux/amd64");
        }
        LayerFiles layer = checked();
        Path file = app.resolve("conf/app.yaml");
        Files.delete(file);
        Files.createSymbolicLink(file, secret);

        Path out = dir.resolve("out");
        try (Session session = new Session(new Session.Options(dir.resolve("docker"), false, null, Map.of()), List.of())) {
            Appender appender = new Appender(session, JibLoader.builder(), 2);
            ImageRef target = ImageRef.parse("oci:" + out + ":v1");
            RegctlException e = assertThrows(RegctlException.class, () -> appender.append(
                    ImageRef.parse("oci:" + dir.resolve("base") + ":v1"), target,
                    new Changes(List.of(layer), Changes.ROOT, ConfigEdits.none()), List.of(), false));
            assertEquals(RegctlException.Kind.USAGE, e.kind());
        } finally {
            assertSecretNotInLayers(out);
        }
        assertFalse(Files.exists(out), "nothing pushed");
    }

    private static void assertSecretNotIn(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains(SECRET), f + " holds the link target's bytes");
            }
        }
    }

    /** On failure, says whether the secret made it into a pushed layer (as it did when files were read by name). */
    private static void assertSecretNotInLayers(Path layout) throws IOException {
        if (!Files.exists(layout)) {
            return;
        }
        try (OciLayoutStore store = OciLayoutStore.open(layout)) {
            RawManifest image = store.fetchManifest("v1");
            Manifest m = image.manifest();
            for (var layer : m.layers()) {
                try (InputStream in = store.openBlob(layer);
                     TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
                    for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                        assertFalse(new String(tar.readAllBytes(), StandardCharsets.UTF_8).contains(SECRET),
                                e.getName() + " in the pushed layer holds the link target's bytes");
                    }
                }
            }
        }
    }
}
