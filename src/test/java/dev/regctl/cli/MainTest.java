package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aMistypedCommandGetsOneLineNamingTheClosestCommand() {
        assertUnknown("regctl: unknown command 'tagz'; did you mean 'tags'?", "tagz", "localhost:5000/app");
        assertUnknown("regctl: unknown command 'tgas'; did you mean 'tags'?", "tgas", "localhost:5000/app");
        assertUnknown("regctl: unknown command 'tag'; did you mean 'tags'?", "tag", "localhost:5000/app");
        assertUnknown("regctl: unknown command 'inspekt'; did you mean 'inspect'?", "inspekt", "localhost:5000/app");
        assertUnknown("regctl: unknown command 'frobnicate'", "frobnicate");
    }

    private static void assertUnknown(String line, String... args) {
        Run r = run(args);
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals(List.of(line, "Try 'regctl --help' for usage."), r.err().lines().toList());
    }

    @Test
    void globalOptionsWorkBeforeTheCommandNameToo() {
        Run r = run("-v", "-o", "json", "--insecure", "ref", "localhost:5000/app:v1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{"), r.out());
        assertEquals(0, run("--output=json", "-q", "--timeout", "5s", "ref", "x").code());
        assertEquals(0, run("-vq", "-ojson", "--docker-config", "/nowhere", "ref", "x").code());
    }

    @Test
    void verboseAddsTheStackTraceBeforeOrAfterTheCommandName(@TempDir Path tmp) {
        String missing = "oci:" + tmp.resolve("no-such-layout") + ":v1";
        Run plain = run("inspect", missing);
        assertEquals(ExitCodes.NOT_FOUND, plain.code(), plain.err());
        assertEquals(1, plain.err().lines().count(), "one line without -v: " + plain.err());

        for (String[] args : List.of(new String[] {"inspect", missing, "-v"}, new String[] {"-v", "inspect", missing},
                new String[] {"--verbose", "inspect", missing}, new String[] {"inspect", "-qv", missing})) {
            Run r = run(args);
            assertEquals(ExitCodes.NOT_FOUND, r.code(), r.err());
            List<String> lines = r.err().lines().toList();
            assertEquals(plain.err().lines().findFirst().orElseThrow(), lines.get(0), "the same line first");
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("\tat dev.regctl.")),
                    String.join(" ", args) + " prints the trace: " + r.err());
        }
    }

    @Test
    void leadingConfigIsTheDockerConfigDirectoryEvenForInspect() {
        assertEquals(List.of("inspect", "--docker-config", "D", "-o", "json", "R"),
                List.of(LeadingOptions.afterCommand(new String[] {"--config", "D", "-o", "json", "inspect", "R"}, n -> true)));
        assertEquals(List.of("tags", "--docker-config=D", "R"),
                List.of(LeadingOptions.afterCommand(new String[] {"--config=D", "tags", "R"}, n -> true)));
        // Not before a command that takes them (help, completion, a typo): left for picocli to report.
        assertEquals(List.of("-v", "completion", "bash"),
                List.of(LeadingOptions.afterCommand(new String[] {"-v", "completion", "bash"}, n -> !n.equals("completion"))));
    }

    @Test
    void editDistanceCountsASwapAsOneEdit() {
        assertEquals(1, Suggestions.distance("tgas", "tags"));
        assertEquals(1, Suggestions.distance("tag", "tags"));
        assertEquals(3, Suggestions.distance("", "abc"));
        assertEquals(List.of("inspect"), Suggestions.closest("inspekt", Main.COMMANDS.keySet()));
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
