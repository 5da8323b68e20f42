package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.ops.sync.SyncFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

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
        assertUnknown("regctl: unknown command 'tagz'; did you mean 'tags' or 'tag'?", "tagz", "localhost:5000/app");
        assertUnknown("regctl: unknown command 'tgas'; did you mean 'tags'?", "tgas", "localhost:5000/app");
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
        assertEquals(0, run("--output=json", "-v", "--timeout", "5s", "ref", "x").code());
        assertEquals(0, run("-v", "-ojson", "--docker-config", "/nowhere", "ref", "x").code());
        assertEquals(0, run("-vq", "copy", "--help").code());
    }

    @Test
    void verboseAddsTheStackTraceBeforeOrAfterTheCommandName(@TempDir Path tmp) {
        String missing = "oci:" + tmp.resolve("no-such-layout") + ":v1";
        Run plain = run("inspect", missing);
        assertEquals(ExitCodes.NOT_FOUND, plain.code(), plain.err());
        assertEquals(1, plain.err().lines().count(), "one line without -v: " + plain.err());

        for (String[] args : List.of(new String[] {"inspect", missing, "-v"}, new String[] {"-v", "inspect", missing},
                new String[] {"--verbose", "inspect", missing}, new String[] {"inspect", missing, "--verbose"})) {
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

    @Test
    void everyCommandSummaryInTheTopHelpIsAWholeSentence() {
        Map<String, String> summaries = commandSummaries(run("--help").out());
        assertEquals(Main.COMMANDS.keySet(), summaries.keySet(), "the Commands section of regctl --help");
        summaries.forEach((name, summary) -> {
            assertTrue(summary.endsWith("."), name + "'s summary stops mid-sentence: " + summary);
            assertEquals(summary.chars().filter(c -> c == '(').count(), summary.chars().filter(c -> c == ')').count(),
                    name + "'s summary has unbalanced parentheses: " + summary);
        });
    }

    /** Each command of the Commands section of {@code help} with its summary, its wrapped lines joined. */
    private static Map<String, String> commandSummaries(String help) {
        Map<String, String> summaries = new LinkedHashMap<>();
        String current = null;
        boolean inCommands = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.matches("  \\S.*")) {
                String[] nameAndSummary = line.trim().split("\\s+", 2);
                current = nameAndSummary[0];
                summaries.put(current, nameAndSummary.length > 1 ? nameAndSummary[1] : "");
            } else if (inCommands && current != null && line.startsWith("   ")) {
                summaries.merge(current, line.trim(), (a, b) -> a + " " + b);
            } else if (inCommands) {
                break;
            }
        }
        return summaries;
    }

    /** Every command's help, the top command's first, by name ("" for regctl itself). */
    private static Map<String, CommandLine> helpedCommands() {
        CommandLine root = Main.commandLine();
        Map<String, CommandLine> commands = new LinkedHashMap<>();
        commands.put("", root);
        root.getSubcommands().forEach((name, cli) -> {
            commands.put(name, cli);
            // A group's own subcommands are commands too: manifest get, blob put.
            cli.getSubcommands().forEach((sub, subCli) -> commands.put(name + " " + sub, subCli));
        });
        return commands;
    }

    private static Run help(String command) {
        if (command.isEmpty()) {
            return run("--help");
        }
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        return run(args.toArray(String[]::new));
    }

    @Test
    void helpBreaksLinesAtSpacesOnly() {
        helpedCommands().forEach((name, cli) -> {
            String help = help(name).out();
            List<String> lines = help.lines().toList();
            for (String line : lines) {
                assertTrue(line.length() <= 80 || !line.strip().contains(" "), "over 80 columns in " + name + ": " + line);
            }
            CommandSpec spec = cli.getCommandSpec();
            List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
            spec.args().forEach(a -> texts.addAll(List.of(a.description())));
            texts.addAll(List.of(spec.usageMessage().footer()));
            for (String text : texts) {
                for (String word : text.split("\\s+")) {
                    if (!word.isEmpty() && !word.contains("${") && !word.contains("%")) {
                        assertTrue(lines.stream().anyMatch(l -> l.contains(word)),
                                "'" + word + "' is cut across two lines of regctl " + name + " --help:\n" + help);
                    }
                }
            }
        });
    }

    @Test
    void versionAloneIsWhatPicocliPrintsForIt() {
        StringWriter picocli = new StringWriter();
        CommandLine whole = Main.commandLine();
        whole.setOut(new PrintWriter(picocli));
        assertEquals(0, whole.execute("--version"));
        assertTrue(picocli.toString().startsWith("regctl "), picocli.toString());
        for (String option : List.of("--version", "-V")) {
            assertEquals(new Run(0, picocli.toString(), ""), run(option), option);
        }
    }

    @Test
    void versionIsOnlyTheTopCommandsOption() {
        Run top = run("--version");
        assertEquals(0, top.code(), top.err());
        assertTrue(top.out().startsWith("regctl "), top.out());
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Run r = run(name, "-V");
            assertEquals(ExitCodes.USAGE, r.code(), name);
            assertTrue(r.err().startsWith("regctl: Unknown option: '-V'"), name + ": " + r.err());
        }
    }

    @Test
    void quietIsAnOptionOnlyOfTheCommandsThatReportProgress() {
        Main.commandLine().getSubcommands().forEach((name, cli) -> assertEquals(
                Set.of("copy", "sync", "prune").contains(name), cli.getCommandSpec().findOption("-q") != null, name));
        Run r = run("ls", "-q", "localhost:5000");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().startsWith("regctl: Unknown option: '-q'"), r.err());
    }

    @Test
    void aMistypedOptionIsReportedBeforeTheParametersItLeftMissing() {
        Run r = run("copy", "--helpp");
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals(List.of("regctl: Unknown option: '--helpp'", "hint: did you mean --help?",
                "Try 'regctl copy --help' for usage."), r.err().lines().toList());
        Run forse = run("delete", "--forse");
        assertTrue(forse.err().startsWith("regctl: Unknown option: '--forse'\nhint: did you mean --force?"), forse.err());
        // Still the missing parameter when nothing else is wrong.
        assertTrue(run("copy", "a").err().startsWith("regctl: Missing required parameter: 'DST'"));
    }

    @Test
    void topHelpDescribesTheGlobalOptions() {
        String help = run("--help").out();
        assertTrue(help.contains("Global options, before or after the command name:"), help);
        for (String option : List.of("--output=FORMAT", "--insecure", "--verbose", "--quiet", "--timeout=DURATION",
                "--config=DIR")) {
            assertTrue(help.contains(option), option + " in " + help);
        }
        assertTrue(help.contains("Exit status:\n  0     success"), help);
    }

    @Test
    void theDockerConfigDirectoryIsDescribedNotAliased() {
        helpedCommands().forEach((name, cli) -> {
            String help = help(name).out();
            assertTrue(!help.contains("Same as --config"), name + ": " + help);
            boolean group = !name.isEmpty() && !cli.getSubcommands().isEmpty() && !name.equals("help");
            if (!name.equals("help") && !name.equals("completion") && !group) {
                assertTrue(help.contains("The docker config directory"), name + ": " + help);
            }
        });
        // Columns move as options are added; what matters is the option and its description on one line.
        assertTrue(run("inspect", "--help").out().matches("(?s).*\n      --docker-config=DIR +The docker config directory.*"));
        // Elsewhere inspect's spelling is accepted but not listed beside --config, which says the same.
        String copy = run("copy", "--help").out();
        assertTrue(copy.matches("(?s).*\n      --config=DIR +The docker config directory.*") && !copy.contains("--docker-config"), copy);
        assertEquals(0, run("ref", "--docker-config", "/nowhere", "x").code());
    }

    @Test
    void referenceHelpNamesEveryKindOfStore() {
        for (String command : List.of("ref", "copy", "append")) {
            String help = run(command, "--help").out();
            for (String kind : List.of("[docker://]", "oci:PATH", "docker-archive:PATH", "oci-archive:PATH")) {
                assertTrue(help.contains(kind) || !command.equals("ref") && kind.equals("[docker://]"),
                        command + " --help lacks " + kind + ":\n" + help);
            }
        }
    }

    @Test
    void timeoutTakesMillisecondsAndSuggestsWaitsNotDays() {
        assertEquals(0, run("ref", "--timeout", "500ms", "x").code());
        assertEquals(0, run("ref", "--timeout", "1m30s", "x").code());
        Run days = run("ref", "--timeout", "30d", "x");
        assertEquals(ExitCodes.USAGE, days.code());
        assertTrue(days.err().startsWith("regctl: Invalid value for option '--timeout': invalid duration \"30d\":"
                + " expected a number and a unit (h, m, s or ms), e.g. 30s, 10m, 1h, 1m30s or 500ms"), days.err());
        assertTrue(!run("ref", "--help").out().contains("30d"));
    }

    @Test
    void theSyncFileInSyncsHelpIsAValidSyncFile() {
        String help = run("sync", "--help").out();
        int start = help.indexOf("The sync file (YAML):\n");
        assertTrue(start >= 0, help);
        String yaml = help.substring(start).lines().skip(1).takeWhile(l -> !l.isBlank())
                .map(l -> l.substring(2)).reduce("", (a, b) -> a + b + "\n");
        SyncFile file = SyncFile.parse(yaml, "sync --help");
        assertEquals(2, file.entries().size(), yaml);
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
