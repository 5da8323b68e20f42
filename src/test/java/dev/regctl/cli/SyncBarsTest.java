package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.ops.sync.SyncProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A sync's bars on a terminal: what a frame shows, and how frames replace each other. */
class SyncBarsTest {
    private static final long MIB = 1024L * 1024;
    private static final SyncProgress.Snapshot TOTALS = new SyncProgress.Snapshot(12, 30, 1, 45 * MIB);

    private static SyncProgress.Image image(String target, long done, long of) {
        return new SyncProgress.Image(target, done, of, true);
    }

    @Test
    void aFrameIsTheProgressLineThenABarPerImageOldestFirst() {
        List<String> frame = SyncBars.frame(TOTALS, List.of(image("r.example/mirror/a:1", 3 * MIB, 12 * MIB),
                new SyncProgress.Image("r.example/mirror/b:2", 0, 0, false)), 10);
        assertEquals(3, frame.size(), String.join("\n", frame));
        assertEquals("sync: 12/30 images, 1 failed, 45.0 MiB, 4.5 MiB/s", frame.get(0));
        assertTrue(frame.get(1).startsWith("r.example/mirror/a:1 "), frame.get(1));
        assertTrue(frame.get(1).endsWith(" 25% 3.0 MiB / 12.0 MiB"), frame.get(1));
        assertTrue(frame.get(2).startsWith("r.example/mirror/b:2 ") && frame.get(2).endsWith("planning"), frame.get(2));
        assertEquals(frame.get(1).indexOf('│'), frame.get(2).indexOf('│'), "bars line up");
    }

    @Test
    void linesFitEightyColumnsAndKeepTheEndOfLongNamesEscaped() {
        String longName = "registry.internal.example.com:5000/mirror/team/some/deep/path/alpine\033[2J:3.19";
        String line = SyncBars.frame(TOTALS, List.of(image(longName, 1023 * MIB, 1023 * MIB)), 10).get(1);
        assertTrue(line.codePointCount(0, line.length()) <= BarRenderer.IMAGE_WIDTH, line.length() + ": " + line);
        assertTrue(line.startsWith("…") && line.contains("alpine") && line.contains(":3.19"), line);
        assertFalse(line.contains("\033"), "control characters from a source are escaped: " + line);
    }

    @Test
    void moreImagesThanBarsAreSummedUpSoTheFrameFitsTheScreen() {
        List<SyncProgress.Image> many = IntStream.range(0, SyncBars.MAX_BARS + 6)
                .mapToObj(i -> image("r.example/m:" + i, 0, MIB)).toList();
        List<String> frame = SyncBars.frame(TOTALS, many, 10);
        assertEquals(SyncBars.MAX_BARS + 2, frame.size());
        assertEquals("… and 6 more images", frame.get(frame.size() - 1));
    }

    @Test
    void eachFrameStartsAtTheTopOfTheLastAndTheLastIsErasedForTheSummary() {
        StringWriter err = new StringWriter();
        SyncBars bars = new SyncBars(new SyncProgress(), new PrintWriter(err), System.nanoTime());
        bars.draw();
        String first = err.toString();
        assertTrue(first.startsWith("\r\033[2Ksync: 0/0 images"), first);
        assertEquals(1, first.chars().filter(c -> c == '\n').count(), "one line: no image is being copied");
        bars.draw();
        assertTrue(err.toString().substring(first.length()).startsWith("\r\033[1A\033[2K"), "back up over it, then redrawn");
        bars.close();
        assertTrue(err.toString().endsWith("\r\033[1A\033[J"), "erased, so nothing is left above the summary");
    }
}
