package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
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

    /** A command failing with whatever it is given, to see how the edge reports it. */
    @picocli.CommandLine.Command(name = "fail")
    static final class Failing implements Runnable {
        private final RuntimeException exception;
        private final Error error;

        Failing(RuntimeException exception, Error error) {
            this.exception = exception;
            this.error = error;
        }

        @Override
        public void run() {
            if (error != null) {
                throw error;
            }
            throw exception;
        }
    }

    private static Run runFailing(RuntimeException exception, Error error) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = Main.commandLine(new String[0]);
        cli.addSubcommand("fail", new Failing(exception, error));
        int code = Main.run(cli, new String[] {"fail"}, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aStackOverflowThatStillEscapesIsOneLineAndExit1() {
        Run r = runFailing(null, new StackOverflowError());
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().startsWith("regctl: input nested too deeply"), r.err());
        assertEquals(2, r.err().lines().count(), "the line and its hint, no trace: " + r.err());
    }

    @Test
    void anOutOfMemoryErrorIsOneLineAndExit1() {
        Run r = runFailing(null, new OutOfMemoryError("Java heap space"));
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().startsWith("regctl: out of memory"), r.err());
        assertEquals(2, r.err().lines().count(), r.err());
    }

    @Test
    void aStackOverflowWrappedByAWorkerThreadIsReportedTheSame() {
        Run r = runFailing(new dev.regctl.RegctlException(dev.regctl.RegctlException.Kind.FAILURE,
                "java.lang.StackOverflowError", null, new StackOverflowError()), null);
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().startsWith("regctl: input nested too deeply"), r.err());
    }

    @Test
    void controlCharactersInAnErrorAndItsHintAreEscapedOnOneLine() {
        Run r = runFailing(new dev.regctl.RegctlException(dev.regctl.RegctlException.Kind.NOT_FOUND,
                "manifest unknown: \u001b]0;owned\u0007\nregctl: forged line \u202e", "\u001b[2J retry", null), null);
        assertEquals(ExitCodes.NOT_FOUND, r.code());
        assertEquals(List.of("regctl: manifest unknown: \\x1b]0;owned\\x07\\x0aregctl: forged line \\u202e",
                "hint: \\x1b[2J retry"), r.err().lines().toList());
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = run();
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("regctl: missing command"), r.err());
    }
}
