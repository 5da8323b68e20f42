package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed completion scripts are exactly what the current command model generates. */
class CompletionsTest {

    @ParameterizedTest
    @CsvSource({"bash, regctl.bash", "zsh, _regctl", "fish, regctl.fish"})
    void committedScriptsAreFresh(String shell, String file) throws IOException {
        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"completion", shell}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(0, code);
        Path committed = Path.of("completions", file);
        assertTrue(Files.exists(committed), committed + " is missing: run scripts/gen-completions");
        assertEquals(Files.readString(committed), out.toString(),
                committed + " is stale: run scripts/gen-completions and commit the result");
    }

    @ParameterizedTest
    @CsvSource({"bash", "zsh", "fish"})
    void everySubcommandIsCompleted(String shell) {
        StringWriter out = new StringWriter();
        Main.run(new String[] {"completion", shell}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            assertTrue(out.toString().contains(sub), shell + " completion lacks " + sub);
        }
    }

    @org.junit.jupiter.api.Test
    void fishDescriptionsAreTextNotFormatStrings() {
        StringWriter out = new StringWriter();
        Main.run(new String[] {"completion", "fish"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        for (String line : out.toString().split("\n")) {
            assertTrue(!line.contains("%n") && !line.contains("-d ''"), "fish line with a format string or no text: " + line);
        }
        assertTrue(out.toString().contains("-a help -d 'When no COMMAND is given"), out.toString());
    }
}
