package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The README and docs link only to files a clone has (docs/architecture.md may be written later). */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/commands.md"})
    void relativeLinksStayInsideTheRepositoryAndExist(String doc) throws IOException {
        Path file = Path.of(doc);
        Matcher m = LINK.matcher(Files.readString(file));
        while (m.find()) {
            String target = m.group(1);
            if (target.matches("[a-z]+://.*")) {
                continue;
            }
            Path resolved = file.toAbsolutePath().getParent().resolve(target).normalize();
            assertTrue(resolved.startsWith(ROOT), doc + " links outside the repository: " + target);
            assertTrue(Files.exists(resolved) || resolved.equals(ROOT.resolve("docs/architecture.md")),
                    doc + " links to a missing file: " + target);
        }
        assertTrue(!Files.readString(file).contains("../shared/"), doc + " names ../shared/");
    }
}
