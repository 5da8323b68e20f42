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

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "10m, PT10M",
        "1h30m, PT1H30M",
        "1m30s250ms, PT1M30.25S",
        "5m, PT5M",
    })
    void readsWaitsDownToMilliseconds(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parseWait(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30d", "2w", "", "30", "1.5s", "5ms30"})
    void refusesWaitsInDaysOrWithoutUnitsNamingTheUnitsItTakes(String text) {
        RegctlException e = assertThrows(RegctlException.class, () -> Durations.parseWait(text));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("invalid duration \"" + text + "\": expected a number and a unit (h, m, s or ms),"
                + " e.g. 30s, 10m, 1h, 1m30s or 500ms", e.getMessage());
    }

    @Test
    void agesTakeNoMilliseconds() {
        assertThrows(RegctlException.class, () -> Durations.parse("500ms"));
    }

    @Test
    void formatsWhatIsLeftUnderASecondInMilliseconds() {
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("1m30s250ms", Durations.format(Duration.ofMillis(90_250)));
        assertEquals("30d", Durations.format(Duration.ofDays(30)));
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
