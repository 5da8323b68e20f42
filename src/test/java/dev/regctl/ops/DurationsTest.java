package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "30d, PT720H",
        "12h, PT12H",
        "90m, PT1H30M",
        "2w, PT336H",
        "45s, PT45S",
        "1w3d, PT240H",
        "1d12h30m, PT36H30M",
        "0d, PT0S",
        "007h, PT7H",
    })
    void readsRetentionAges(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "d", "30x", "30D", "-1d", "1.5d", "30 d", "1d-2h", "P30D", "d30"})
    void refusesAnythingElseAsUsage(String text) {
        RegctlException e = assertThrows(RegctlException.class, () -> Durations.parse(text));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("invalid duration \"" + text + "\": expected"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1M", "6mo", "1y", "2Y", "3months", "1year"})
    void refusesMonthsAndYearsSayingWhy(String text) {
        RegctlException e = assertThrows(RegctlException.class, () -> Durations.parse(text));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("invalid duration \"" + text + "\": months and years vary in length; write days or weeks,"
                + " e.g. 30d, 26w or 365d", e.getMessage());
    }

    @Test
    void mIsMinutes() {
        assertEquals(Duration.ofMinutes(1), Durations.parse("1m"));
    }

    @Test
    void refusesAmountsBeyondWhatADurationHolds() {
        RegctlException e = assertThrows(RegctlException.class, () -> Durations.parse("99999999999999999999w"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().endsWith("too large"), e.getMessage());
        assertThrows(RegctlException.class, () -> Durations.parse("9223372036854775807w"));
    }

    @ParameterizedTest
    @CsvSource({"30d, 30d", "2w, 2w", "15d, 15d", "36h, 1d12h", "90m, 1h30m", "0s, 0s", "1w1s, 7d1s"})
    void formatsWhatParseReadsBack(String text, String formatted) {
        assertEquals(formatted, Durations.format(Durations.parse(text)));
        assertEquals(Durations.parse(text), Durations.parse(formatted));
    }
}
