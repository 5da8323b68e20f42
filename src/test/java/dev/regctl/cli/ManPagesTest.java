package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed man pages (docs/man/*.adoc) are exactly what the current command model generates. */
class ManPagesTest {
    private static final Path DIR = Path.of("docs", "man");

    @Test
    void committedPagesAreFresh() throws IOException {
        for (Map.Entry<String, String> page : ManPages.generate().entrySet()) {
            Path committed = DIR.resolve(page.getKey());
            assertTrue(Files.exists(committed), committed + " is missing: run scripts/gen-docs");
            assertEquals(page.getValue(), Files.readString(committed),
                    committed + " is stale: run scripts/gen-docs and commit the result");
        }
    }

    @Test
    void everyCommandHasAPageAndNoPageOutlivesItsCommand() throws IOException {
        Set<String> expected = new TreeSet<>(ManPages.generate().keySet());
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            assertTrue(expected.contains("regctl-" + sub + ".adoc"), "no man page for " + sub);
        }
        Set<String> committed;
        try (Stream<Path> files = Files.list(DIR)) {
            committed = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".adoc"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(expected, committed, "docs/man has pages for commands that are gone: run scripts/gen-docs");
    }

    @Test
    void pagesAreManPagesWithTheCommandsOptions() {
        String copy = ManPages.generate().get("regctl-copy.adoc");
        assertTrue(copy.contains(":doctype: manpage"), copy);
        assertTrue(copy.contains("--all-tags"), copy);
        assertTrue(copy.contains("regctl-copy"), copy);
    }
}
