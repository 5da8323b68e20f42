package dev.regctl.ops.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file is read twice, for its digest and to send it: what is sent must still be what the manifest names. */
class ArtifactPushTest {
    @TempDir
    Path dir;

    @Test
    void aFileChangedAfterItsDigestWasTakenIsNotPushedUnderIt() throws IOException {
        Path file = Files.writeString(dir.resolve("report.txt"), "first draft");
        ArtifactPush.Spec spec = new ArtifactPush.Spec(List.of(new ArtifactFile(file, null)),
                ArtifactManifest.DEFAULT_ARTIFACT_TYPE, Map.of(), AnnotationFile.none(), null);
        try (ArtifactPush push = ArtifactPush.prepare(spec, null, Clock.systemUTC());
             OciLayoutStore store = OciLayoutStore.create(dir.resolve("layout"))) {
            Files.writeString(file, "final text!");

            RegctlException e = assertThrows(RegctlException.class, () -> push.push(store, "v1", false));

            assertEquals(RegctlException.Kind.FAILURE, e.kind());
            assertTrue(store.listTags().isEmpty(), "no manifest names bytes that were not sent");
        }
    }
}
