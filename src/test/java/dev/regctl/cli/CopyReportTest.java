package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.copy.CopyPlan;
import dev.regctl.ops.copy.CopyResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What copy prints, when the names, tags and media types it reports come from a hostile source. */
class CopyReportTest {
    private static final String TAG = "v1\u001b]0;owned\u0007\ntag forged -> sha256:0";
    private static final String SOURCE = "oci:src:\u202ev1";

    private static String printed(java.util.function.Consumer<Output> report) {
        StringWriter sink = new StringWriter();
        report.accept(new Output(OutputFormat.text, new PrintWriter(sink)));
        return sink.toString();
    }

    private static void assertPrintable(String text) {
        text.chars().forEach(c -> assertFalse(c != '\n' && TerminalText.isControl((char) c),
                String.format("U+%04X in %s", c, text)));
    }

    @Test
    void aDryRunPlanShowsHostileTagsAndMediaTypesEscapedOnePerLine() {
        byte[] layer = new byte[1];
        Descriptor blob = new Descriptor("application/x\u009b2J", Digest.sha256(layer), 1);
        RawManifest manifest = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"a\",\"digest\":\"" + blob.digest() + "\",\"size\":1},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8), null);
        CopyPlan plan = new CopyPlan(SOURCE, "oci:dst", false,
                List.of(new CopyPlan.Image(TAG, TAG, manifest.digest(), manifest.digest(), false)),
                List.of(new CopyPlan.ManifestStep(manifest, 0, true, List.of(TAG), List.of(), null)),
                List.of(new CopyPlan.BlobStep(blob, CopyPlan.BlobAction.UPLOAD, null)), List.of());

        String out = printed(o -> CopyReport.plan(o, plan, null));

        assertPrintable(out);
        assertEquals(5, out.lines().count(), out);
        assertTrue(out.contains("plan: copy oci:src:\\u202ev1 -> oci:dst"), out);
        assertTrue(out.contains("tag v1\\x1b]0;owned\\x07\\x0atag forged -> sha256:0 -> " + manifest.digest()), out);
    }

    @Test
    void theSummaryLineIsOneEscapedLine() {
        CopyResult result = new CopyResult(SOURCE, "oci:dst:" + TAG, "sha256:abc", false, 1,
                new CopyResult.Blobs(1, 0, 0), 10, 0.1, List.of(TAG), List.of());

        String out = printed(o -> CopyReport.result(o, result, null));

        assertPrintable(out);
        assertEquals(1, out.lines().count(), out);
    }

    @Test
    void progressBarLabelsAreEscaped() {
        assertEquals("\\x1b[2Jab   ", ProgressBars.taskName("\u001b[2Jab"));
    }
}
