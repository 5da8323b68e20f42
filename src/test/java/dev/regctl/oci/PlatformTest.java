package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --platform} text, containerd's normalisation and its best-match order. */
class PlatformTest {

    private static int rank(String wanted, String image) {
        return PlatformMatcher.rank(Platform.parse(wanted), Platform.parse(image));
    }

    @Test
    void containerdsWindowsFormNamesTheOsVersion() {
        Platform p = Platform.parse("windows(10.0.20348)/amd64");

        assertEquals(new Platform("windows", "amd64", null, "10.0.20348"), p);
        assertEquals("windows(10.0.20348)/amd64", p.toString());
        assertEquals("windows/amd64", p.osArchVariant());
        assertEquals("linux/arm/v7", Platform.parse("linux/arm/v7").toString());
        assertNull(Platform.parse("windows()/amd64").osVersion(), "an empty version is none");
    }

    @Test
    void malformedPlatformsAreUsageErrorsSayingWhatIsExpected() {
        for (String bad : List.of("linux", "linux//arm", "windows(10.0/amd64", "linux/arm/v7/x", "li nux/amd64", "linux/am(d)64")) {
            RegctlException e = assertThrows(RegctlException.class, () -> Platform.parse(bad), bad);
            assertEquals(RegctlException.Kind.USAGE, e.kind());
            assertTrue(e.getMessage().startsWith("invalid platform \"" + bad + "\": "), e.getMessage());
        }
    }

    @Test
    void spellingsOfOnePlatformAreTheSamePlatform() {
        assertEquals(0, rank("linux/aarch64", "linux/arm64/v8"));
        assertEquals(0, rank("linux/arm64/v8", "linux/arm64"));
        assertEquals(0, rank("linux/x86_64", "linux/amd64"));
        assertEquals(0, rank("linux/amd64", "linux/amd64/v1"));
        assertEquals(0, rank("linux/armhf", "linux/arm/v7"));
        assertEquals(0, rank("linux/armel", "linux/arm/v6"));
        assertEquals(0, rank("Linux/ARM64", "linux/arm64"));
        assertEquals(0, rank("macos/arm64", "darwin/arm64"));
    }

    @Test
    void armIsV7AndOlderVariantsComeAfterInOrder() {
        assertEquals(0, rank("linux/arm", "linux/arm/v7"));
        assertEquals(1, rank("linux/arm", "linux/arm/v6"));
        assertEquals(2, rank("linux/arm", "linux/arm/v5"));
        assertEquals(PlatformMatcher.NO_MATCH, rank("linux/arm/v6", "linux/arm/v7"), "a newer variant does not run there");
        assertEquals(1, rank("linux/amd64/v3", "linux/amd64/v2"));
        assertEquals(2, rank("linux/amd64/v3", "linux/amd64"));
        assertEquals(PlatformMatcher.NO_MATCH, rank("linux/amd64", "linux/amd64/v3"));
        assertEquals(2, rank("linux/arm64/v9.2", "linux/arm64/v9"));
        assertEquals(3, rank("linux/arm64/v9.2", "linux/arm64/v8.7"), "v9.x carries v8.{x+5}");
        assertEquals(10, rank("linux/arm64/v9.2", "linux/arm64"));
        assertEquals(PlatformMatcher.NO_MATCH, rank("linux/arm64", "linux/arm64/v8.2"));
    }

    @Test
    void noOtherArchitectureIsOffered() {
        assertEquals(PlatformMatcher.NO_MATCH, rank("linux/amd64", "linux/386"));
        assertEquals(PlatformMatcher.NO_MATCH, rank("linux/arm64", "linux/arm/v7"));
        assertEquals(PlatformMatcher.NO_MATCH, rank("linux/amd64", "windows/amd64"));
        assertEquals(PlatformMatcher.NO_MATCH, PlatformMatcher.rank(Platform.parse("linux/amd64"), new Platform("", "", null, null)));
    }

    @Test
    void aWantedOsVersionIsAPrefixOfTheImagesPartByPart() {
        assertEquals(0, rank("windows(10.0.20348)/amd64", "windows(10.0.20348.2340)/amd64"));
        assertEquals(0, rank("windows(10.0.20348.2340)/amd64", "windows(10.0.20348.2340)/amd64"));
        assertEquals(0, rank("windows/amd64", "windows(10.0.17763.5576)/amd64"), "no version wanted: any build");
        assertEquals(PlatformMatcher.NO_MATCH, rank("windows(10.0.20348)/amd64", "windows(10.0.17763.5576)/amd64"));
        assertEquals(PlatformMatcher.NO_MATCH, rank("windows(10.0.2034)/amd64", "windows(10.0.20348.2340)/amd64"));
        assertEquals(PlatformMatcher.NO_MATCH, rank("windows(10.0.20348)/amd64", "windows/amd64"), "an image naming no build");
    }
}
