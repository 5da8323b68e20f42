package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everySubcommandAnswersHelpWithoutItsArguments() {
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Run r = run(name, "--help");
            assertEquals(0, r.code(), name + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: regctl " + name), name + ": " + r.out());
        }
    }

    @Test
    void eachCommandIsRegisteredUnderItsOwnName() {
        // The lazy registry names commands itself; a mismatch would make a command unreachable alone.
        Main.COMMANDS.forEach((name, make) ->
                assertEquals(name, new picocli.CommandLine(make.get()).getCommandName(), name));
    }

    @Test
    void aMistypedCommandStillGetsSuggestionsFromAllCommands() {
        Run r = run("tagz", "localhost:5000/app");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("hint: did you mean tags?"), r.err());
    }

    @Test
    void helpListsEveryCommand() {
        assertHelpListsEveryCommand(run("--help"));
        assertHelpListsEveryCommand(run("-h", "tags"));
    }

    private static void assertHelpListsEveryCommand(Run r) {
        assertEquals(0, r.code());
        for (String name : Main.COMMANDS.keySet()) {
            assertTrue(r.out().contains("  " + name + " ") || r.out().contains("  " + name + "\n"), name + " in " + r.out());
        }
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = run();
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("regctl: missing command"), r.err());
    }
}
