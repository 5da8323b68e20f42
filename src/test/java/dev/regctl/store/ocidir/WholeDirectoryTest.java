package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.store.WholeDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory made whole or not at all: its hidden staging directory goes on failure, on error,
 * and when the run is stopped while it is filled (the shutdown hook's clean-up, called here).
 */
class WholeDirectoryTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void fillSome(Path staging) throws IOException {
        Files.createDirectories(staging.resolve("css"));
        Files.writeString(staging.resolve("index.html"), "<p>hi</p>");
        Files.writeString(staging.resolve("css/a.css"), "p{}");
    }

    @Test
    void aCompleteDirectoryReplacesTheOldOneWhole() throws IOException {
        Path target = Files.createDirectories(dir.resolve("site"));
        Files.writeString(target.resolve("stale.txt"), "old");
        WholeDirectory.write(target, WholeDirectoryTest::fillSome);
        assertEquals("p{}", Files.readString(target.resolve("css/a.css")));
        assertFalse(Files.exists(target.resolve("stale.txt")));
        assertEquals(List.of("site"), listing(), "neither the staging nor the old directory stays");
    }

    @Test
    void aFailureOrAnErrorHalfWayLeavesTheTargetAsItWasAndNothingBesideIt() throws IOException {
        Path target = Files.createDirectories(dir.resolve("site"));
        Files.writeString(target.resolve("kept.txt"), "mine");
        IOException failure = assertThrows(IOException.class, () -> WholeDirectory.write(target, staging -> {
            fillSome(staging);
            throw new IOException("corrupt half way");
        }));
        assertEquals("corrupt half way", failure.getMessage());
        assertThrows(StackOverflowError.class, () -> WholeDirectory.write(target, staging -> {
            fillSome(staging);
            throw new StackOverflowError();
        }));
        assertEquals(List.of("site"), listing());
        assertEquals("mine", Files.readString(target.resolve("kept.txt")));
    }

    @Test
    void theInterruptCleanupRemovesADirectoryBeingFilledAndItIsNeverPutInPlace() throws IOException {
        Path target = dir.resolve("site");
        AtomicReference<List<String>> during = new AtomicReference<>();
        assertThrows(IOException.class, () -> WholeDirectory.write(target, staging -> {
            fillSome(staging);
            assertEquals(1, listing().size(), "the hidden staging directory, filled");
            LiveTempFiles.deleteAll();
            during.set(listing());
            Files.writeString(staging.resolve("css/b.css"), "written after Ctrl-C");
        }));
        assertEquals(List.of(), during.get(), "Ctrl-C removes the staging directory with all in it");
        assertEquals(List.of(), listing());
        assertTrue(Files.notExists(target));
    }
}
