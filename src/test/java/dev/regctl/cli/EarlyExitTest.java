package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one line a stopped run prints (the stopping itself is exercised through the launcher in StoppedRunIT). */
class EarlyExitTest {

    @Test
    void aStoppedCopySaysWhatWasTaggedAndHowToResume() {
        assertEquals("regctl: interrupted: nothing was tagged; rerun to resume", EarlyExit.message("interrupted", true, 0));
        assertEquals("regctl: interrupted: 1 tag was written before that; rerun to resume",
                EarlyExit.message("interrupted", true, 1));
        assertEquals("regctl: timed out after 5m (--timeout): 3 tags were written before that; rerun to resume",
                EarlyExit.message("timed out after 5m (--timeout)", true, 3));
    }

    @Test
    void aStoppedReadSaysOnlyWhy() {
        assertEquals("regctl: timed out after 2s (--timeout)", EarlyExit.message("timed out after 2s (--timeout)", false, 0));
    }
}
