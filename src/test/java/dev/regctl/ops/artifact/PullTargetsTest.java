package dev.regctl.ops.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Titles are untrusted: each escape from DIR is refused naming the layer (exit 1), before anything is fetched. */
class PullTargetsTest {
    @TempDir
    Path dir;

    private static Descriptor titled(String title, char hex) {
        return new Descriptor(MediaTypes.OCI_LAYER_TAR, new Digest("sha256", String.valueOf(hex).repeat(64)), 1, null, null,
                title == null ? null : Map.of(ArtifactManifest.TITLE, title), null);
    }

    private List<PullTargets.Target> plan(boolean overwrite, Descriptor... layers) {
        return PullTargets.plan(dir, Arrays.asList(layers), overwrite, "artifact pull X");
    }

    private RegctlException refused(Descriptor... layers) {
        return assertThrows(RegctlException.class, () -> plan(false, layers));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../escape", "a/../../escape", "a/..", "", ".", "./", "\\evil", "C:\\x"})
    void aHostileTitleIsRefusedNamingTheLayer(String title) {
        RegctlException e = refused(titled("ok.txt", 'a'), titled(title, 'b'));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().startsWith("artifact pull X: layer 2 \"" + title + "\" (sha256:bbbb"), e.getMessage());
    }

    @Test
    void aTitleThroughASymbolicLinkInDirIsRefused() throws IOException {
        Path outside = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-outside"));
        Files.createSymbolicLink(dir.resolve("link"), outside);
        RegctlException e = refused(titled("link/passwd", 'a'));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        Files.createSymbolicLink(dir.resolve("file-link"), outside.resolve("target"));
        assertTrue(refused(titled("file-link", 'a')).getMessage().contains("symbolic link"));
    }

    @Test
    void twoLayersWritingOnePathAreRefused() {
        assertTrue(refused(titled("a.txt", 'a'), titled("./a.txt", 'b')).getMessage().contains("layer 1 has the same title"));
        assertTrue(refused(titled("docs", 'a'), titled("docs/x", 'b')).getMessage().contains("inside layer 1"));
        assertTrue(refused(titled("docs/x", 'a'), titled("docs", 'b')).getMessage().contains("inside its own"));
    }

    @Test
    void untitledLayersAreSkippedAndNestedTitlesLandInsideDir() {
        List<PullTargets.Target> targets = plan(false, titled(null, 'a'), titled("docs/readme.md", 'b'));
        assertEquals(1, targets.size());
        assertEquals(dir.resolve("docs").resolve("readme.md"), targets.get(0).path());
        assertEquals(1, targets.get(0).index());
    }

    @Test
    void anExistingFileIsUsageUnlessOverwrite() throws IOException {
        Files.writeString(dir.resolve("a.txt"), "mine");
        RegctlException e = refused(titled("a.txt", 'a'));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("--overwrite replaces it", e.hint());
        assertEquals(1, plan(true, titled("a.txt", 'a')).size());
    }
}
