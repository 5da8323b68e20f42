package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.regctl.ops.sync.LayoutImages;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --filter}: whole-name regular expressions, matched in time linear in the name whatever the pattern. */
class FiltersTest {
    @TempDir
    Path tmp;

    private InProcessRun run(String... args) {
        return InProcessRun.of(tmp.resolve("docker"), args);
    }

    /** A registry names its tags; this pattern took java.util.regex minutes on each such tag. */
    @Test
    void aPolynomialPatternOnHostileTagsEndsQuickly() {
        Path layout = tmp.resolve("layout");
        try (OciLayoutStore s = OciLayoutStore.create(layout)) {
            for (int i = 0; i < 5; i++) {
                LayoutImages.image(s, "a" + "-".repeat(98) + i, "linux/amd64", "hostile " + i);
            }
            LayoutImages.image(s, "a-b-c-d-e-f-rc", "linux/amd64", "wanted");
        }
        InProcessRun r = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> run("tags", "oci:" + layout, "--filter", "(.*-){6}rc"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("a-b-c-d-e-f-rc"), r.out().lines().toList());
    }

    @Test
    void syntaxThatNeedsBacktrackingIsRefusedNamingThePattern() {
        InProcessRun r = run("tags", "oci:" + tmp.resolve("none"), "--filter", "(v)\\1");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals(List.of("regctl: --filter \"(v)\\1\": backreferences (\\1) are not supported: filters are RE2"
                + " regular expressions, matched in linear time"), r.err().lines().toList());
        InProcessRun look = run("tags", "oci:" + tmp.resolve("none"), "--filter", "(?<!rc).*");
        assertEquals(ExitCodes.USAGE, look.exit());
        assertEquals(List.of("regctl: --filter \"(?<!rc).*\": lookahead and lookbehind ((?<!) are not supported: filters"
                + " are RE2 regular expressions, matched in linear time"), look.err().lines().toList());
    }
}
