package dev.regctl.ops.append;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigEditsTest {

    private static void assertUsage(Runnable r) {
        assertEquals(RegctlException.Kind.USAGE, assertThrows(RegctlException.class, r::run).kind());
    }

    @Test
    void wordsAreAJsonArrayTakenAsItIsOrPlainWordsSplitAtSpaces() {
        assertEquals(List.of("/app", "--name", "a b"), ConfigEdits.words("--cmd", "[\"/app\",\"--name\",\"a b\"]"));
        assertEquals(List.of(), ConfigEdits.words("--cmd", "[]"));
        assertEquals(List.of("/app", "--port", "80"), ConfigEdits.words("--cmd", " /app  --port 80 "));
        assertUsage(() -> ConfigEdits.words("--entrypoint", "[\"/app\""));
        assertUsage(() -> ConfigEdits.words("--entrypoint", "[1, {}]"));
        assertUsage(() -> ConfigEdits.words("--entrypoint", "[null]"));
    }

    @Test
    void aBadJsonArraySaysWhereInTheUsersWords() {
        assertRefused("--entrypoint", "[\"/app\"", "it ends before the array is closed with ]");
        assertRefused("--entrypoint", "[\"/app", "it ends before the array is closed with ]");
        assertRefused("--entrypoint", "[\"/app\", 80]", "element 2, at character 10, is a number, not a string");
        assertRefused("--cmd", "  [null]", "element 1, at character 4, is null, not a string");
        assertRefused("--cmd", "[\"a\", 'b']", "invalid JSON at character 7 (\"'\")");
        assertRefused("--cmd", "[\"a\"] x", "text after the closing ], at character 7");
    }

    private static void assertRefused(String option, String value, String why) {
        RegctlException e = assertThrows(RegctlException.class, () -> ConfigEdits.words(option, value));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals(option + ": not a JSON array of strings: " + why, e.getMessage(), value);
    }

    @Test
    void keyValuesNeedAKeyAndAnEqualsSign() {
        Map<String, String> into = new LinkedHashMap<>();
        ConfigEdits.put("--env", "A=1", into);
        ConfigEdits.put("--env", "EMPTY=", into);
        ConfigEdits.put("--env", "URL=a=b", into);
        ConfigEdits.put("--env", "A=2", into);
        assertEquals(Map.of("A", "2", "EMPTY", "", "URL", "a=b"), into);
        assertEquals(List.of("A", "EMPTY", "URL"), List.copyOf(into.keySet()), "the order given");
        assertUsage(() -> ConfigEdits.put("--env", "NOVALUE", into));
        assertUsage(() -> ConfigEdits.put("--label", "=v", into));
        assertUsage(() -> ConfigEdits.put("--label", "k=a\0b", into));
    }

    @Test
    void portsDefaultToTcp() {
        assertEquals("8080/tcp", ConfigEdits.port("8080"));
        assertEquals("53/udp", ConfigEdits.port("53/udp"));
        assertUsage(() -> ConfigEdits.port("0"));
        assertUsage(() -> ConfigEdits.port("65536"));
        assertUsage(() -> ConfigEdits.port("80/sctp"));
        assertUsage(() -> ConfigEdits.port("http"));
    }

    @Test
    void createdIsTheEpochUnlessNowOrATimeIsGiven() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07.890Z"), ZoneOffset.UTC);
        assertEquals(null, ConfigEdits.created(null, clock), "not given");
        assertEquals(Instant.EPOCH, ConfigEdits.none().creationTime(), "which is the epoch");
        assertEquals(Instant.parse("2026-03-04T05:06:07Z"), ConfigEdits.created("now", clock));
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), ConfigEdits.created("2024-05-01T12:00:00+02:00", clock));
        assertUsage(() -> ConfigEdits.created("yesterday", clock));
        assertUsage(() -> ConfigEdits.created("2024-05-01", clock));
    }

    @Test
    void workdirIsAbsolute() {
        assertEquals("/srv/app", ConfigEdits.workdir("/srv/./app/"));
        assertUsage(() -> ConfigEdits.workdir("srv"));
    }

    @Test
    void ownersAreNumericAndDefaultToRoot() {
        assertEquals("0:0", Changes.owner(null));
        assertEquals("1000:1000", Changes.owner("1000"));
        assertEquals("65532:10", Changes.owner("65532:10"));
        assertUsage(() -> Changes.owner("nobody"));
        assertUsage(() -> Changes.owner("1:2:3"));
    }
}
