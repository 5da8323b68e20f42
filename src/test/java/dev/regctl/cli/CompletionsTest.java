package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

    /** What bash offers after {@code words} (the last one being completed) with regctl's script loaded. */
    private static String bashCompletes(String script, String... words) throws Exception {
        Path file = Files.createTempFile("regctl", ".bash");
        try {
            Files.writeString(file, script);
            String line = String.join(" ", words);
            String program = "source \"$1\"; COMP_WORDS=(" + String.join(" ", Stream.of(words)
                    .map(w -> "'" + w + "'").toList()) + "); COMP_CWORD=" + (words.length - 1)
                    + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length()
                    + "; _complete_regctl regctl \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\""
                    + " 2>/dev/null; echo \"${COMPREPLY[*]}\"";
            Process bash = new ProcessBuilder("bash", "-c", program, "bash", file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                String out = new String(bash.getInputStream().readAllBytes()).strip();
                assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
                return out;
            } finally {
                bash.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @org.junit.jupiter.api.Test
    void outputFormatsCompleteBeforeAndAfterTheCommandName() throws Exception {
        StringWriter out = new StringWriter();
        Main.run(new String[] {"completion", "bash"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals("text json", bashCompletes(out.toString(), "regctl", "-o", ""));
        assertEquals("text json", bashCompletes(out.toString(), "regctl", "tags", "-o", ""));
        assertEquals("text json", bashCompletes(out.toString(), "regctl", "--output", ""));
        StringWriter fish = new StringWriter();
        Main.run(new String[] {"completion", "fish"}, new PrintWriter(fish), new PrintWriter(new StringWriter()));
        assertTrue(fish.toString().contains("complete -c regctl -n '__fish_use_subcommand' -s o -l output -r -a 'text json'"),
                fish.toString());
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
