package dev.regctl.cli;

import dev.regctl.RegctlException;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Entry point: wires the subcommands and turns every failure into one stderr line and an exit code. */
@Command(name = Main.NAME, versionProvider = Version.class,
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # Mirror an image, then see what arrived",
            "  regctl copy alpine:3.20 localhost:5000/alpine:3.20",
            "  regctl -o json inspect localhost:5000/alpine:3.20",
            "  # A command's options, and examples of its use",
            "  regctl copy --help"},
        description = {"List, inspect, copy and delete images in container registries.",
            "The global options go before or after the command name. Before it, --config DIR is the docker config"
                    + " directory for inspect too, whose own --config prints the image config."})
public final class Main implements Runnable {
    static final String NAME = "regctl";

    // Every command gets the same (UsageHelp); --version is only here, where it means regctl.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = UsageHelp.HELP_DESCRIPTION)
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version of regctl and exit.")
    boolean version;

    /** Listed here so that --help describes them and completion knows them before the command name too. */
    @ArgGroup(validate = false, heading = "%nGlobal options, before or after the command name:%n")
    ProgressOptions global;

    /**
     * The subcommands, in the order of docs/commands.md (which --help lists), each made only when needed:
     * building a command's model by reflection is a large part of a short run's start-up.
     */
    static final Map<String, Supplier<Object>> COMMANDS = commands();

    /** The commands that only hold subcommands, which are the ones that take the global options. */
    private static final Set<String> GROUPS = Set.of("index", "manifest", "blob", "artifact");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> c = new LinkedHashMap<>();
        c.put("ls", LsCommand::new);
        c.put("tags", TagsCommand::new);
        c.put("inspect", InspectCommand::new);
        c.put("digest", DigestCommand::new);
        c.put("referrers", ReferrersCommand::new);
        c.put("ref", RefCommand::new);
        c.put("copy", CopyCommand::new);
        c.put("sync", SyncCommand::new);
        c.put("ratelimit", RatelimitCommand::new);
        c.put("append", AppendCommand::new);
        c.put("index", IndexCommand::new);
        c.put("tag", TagCommand::new);
        c.put("manifest", ManifestCommand::new);
        c.put("blob", BlobCommand::new);
        c.put("artifact", ArtifactCommand::new);
        c.put("delete", DeleteCommand::new);
        c.put("prune", PruneCommand::new);
        c.put("login", LoginCommand::new);
        c.put("logout", LogoutCommand::new);
        c.put("completion", CompletionCommand::new);
        // A lambda, not HelpCommand::new: picocli's class files are Java 5's, which a JDK 25 AOT
        // cache cannot link, and a method handle naming that class in the cache made its
        // creation crash (archiveHeapWriter.cpp:757) when created with -XX:+AOTClassLinking.
        c.put("help", () -> new CommandLine.HelpCommand());
        return Collections.unmodifiableMap(c);
    }

    public static void main(String[] args) {
        // picocli otherwise looks for Groovy's Closure class when it first makes a command, and a
        // class that is not there is looked for in every jar on the class path, each opened and
        // read for it: a tenth of a short run's CPU.
        System.setProperty("picocli.disable.closures", "true");
        PrintWriter err = new PrintWriter(System.err, true);
        EarlyExit.onSignals(TerminalText.writer(err));
        int code = run(args, new PrintWriter(System.out, true), err);
        EarlyExit.awaitStop();
        System.exit(code);
    }

    /** Runs regctl with the given streams and returns the exit code (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // What picocli prints for it, without the whole tree's models it would build first
            // (two thirds of the run).
            for (String line : new Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return ExitCodes.OK;
        }
        String[] argv = LeadingOptions.afterCommand(args, Main::takesGlobalOptions, GROUPS::contains);
        return run(commandLine(argv), argv, out, err);
    }

    /** Every command but help and completion: those take the global options and are made alone. */
    private static boolean takesGlobalOptions(String name) {
        return COMMANDS.containsKey(name) && !name.equals("help") && !name.equals("completion");
    }

    /**
     * Runs {@code cli}. Everything on stderr (errors, notes, the {@code -v} trace of what a
     * registry sent) passes through {@link TerminalText}; stdout is escaped by {@link Output},
     * which leaves raw manifest bytes alone.
     */
    static int run(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
        PrintWriter safeErr = TerminalText.writer(err);
        cli.setOut(out);
        cli.setErr(safeErr);
        try {
            return cli.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler; these get here. A safety net: walks over
            // hostile input are bounded where they happen, with better messages.
            return report(safeErr, ErrorReport.of(e), null);
        } finally {
            EarlyExit.finished();
        }
    }

    /** regctl with every subcommand (what help, completion and tests see). */
    static CommandLine commandLine() {
        return commandLine(COMMANDS.keySet());
    }

    /**
     * regctl for {@code args}: with only the subcommand they start with when that is a plain
     * command; with all of them for help, completion, an option before the command (such as
     * {@code -h}, whose usage lists every command), or a name to suggest corrections for.
     */
    static CommandLine commandLine(String[] args) {
        String named = args.length > 0 ? args[0] : "";
        return commandLine(takesGlobalOptions(named) ? List.of(named) : COMMANDS.keySet());
    }

    private static CommandLine commandLine(Collection<String> names) {
        // The whole tree's root is read from its annotations (its global options group is for help
        // and completion); a run of one command never parses or shows its root, so only names it.
        CommandLine cli = new CommandLine(names.size() == COMMANDS.size() ? new Main()
                : CommandSpec.wrapWithoutInspection(new Main()).name(NAME));
        for (String name : names) {
            cli.addSubcommand(name, new CommandLine(CommandModels.of(COMMANDS.get(name).get())));
        }
        UsageHelp.setUp(cli);
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler(Main::executionError);
        return cli;
    }

    private static int usageError(CommandLine.ParameterException reported, String[] args) {
        // picocli checks required parameters before it reports what it could not match, so "copy --helpp"
        // would say SRC and DST are missing; the unknown option is what is wrong.
        List<String> unmatched = reported.getCommandLine().getUnmatchedArguments();
        CommandLine.ParameterException e = reported instanceof CommandLine.MissingParameterException && !unmatched.isEmpty()
                ? new CommandLine.UnmatchedArgumentException(reported.getCommandLine(), unmatched) : reported;
        PrintWriter err = e.getCommandLine().getErr();
        String command = unknownCommand(e, args);
        if (command != null) {
            List<String> close = Suggestions.closest(command, COMMANDS.keySet());
            err.println("regctl: unknown command " + TerminalText.line(quote(command)) + (close.isEmpty() ? ""
                    : "; did you mean " + String.join(" or ", close.stream().map(Main::quote).toList()) + "?"));
        } else {
            err.println("regctl: " + TerminalText.line(e.getMessage()));
        }
        if (command == null && e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            err.println("hint: did you mean " + String.join(" or ", u.getSuggestions()) + "?");
        }
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The word given where a command name belongs, when it names none; else null. */
    private static String unknownCommand(CommandLine.ParameterException e, String[] args) {
        boolean atTop = e.getCommandLine().getParent() == null;
        if (!atTop || !(e instanceof CommandLine.UnmatchedArgumentException) || args.length == 0) {
            return null;
        }
        String first = args[0];
        return first.startsWith("-") || COMMANDS.containsKey(first) ? null : first;
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    private static int executionError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        return report(cmd.getErr(), ErrorReport.of(e), verbose(parsed) ? e : null);
    }

    /**
     * True when {@code -v} was given. picocli hands the handler the top-level result, and {@code -v}
     * is each command's option (a leading one is moved after the command name), so it is looked
     * for at every level down to the command that ran.
     */
    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The error line, its hint, and with {@code -v} the trace of {@code trace}; returns the exit code. */
    private static int report(PrintWriter err, ErrorReport report, Throwable trace) {
        if (EarlyExit.stopping()) {
            // The run is being stopped (signal, --timeout), which fails what was in flight; that line says it all.
            return report.exitCode();
        }
        err.println("regctl: " + TerminalText.line(report.message()));
        if (report.hint() != null) {
            err.println("hint: " + TerminalText.line(report.hint()));
        }
        if (trace != null) {
            trace.printStackTrace(err);
        }
        err.flush();
        return report.exitCode();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** The one-line message, hint and exit code for any failure a command threw. */
    record ErrorReport(String message, String hint, int exitCode) {
        static ErrorReport of(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof StackOverflowError) {
                    return new ErrorReport("input nested too deeply to process (a cycle, or thousands of levels)",
                            "the source serves a broken or hostile manifest; run with -v and report it", ExitCodes.FAILURE);
                }
                if (t instanceof OutOfMemoryError) {
                    return new ErrorReport("out of memory: the input is too large to process",
                            "the source serves a broken or hostile document, or raise the heap: REGCTL_JAVA_OPTS=-Xmx256m",
                            ExitCodes.FAILURE);
                }
            }
            if (e instanceof RegctlException r) {
                return new ErrorReport(r.getMessage(), r.hint(), ExitCodes.of(r.kind()));
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ErrorReport("unexpected failure: " + why.lines().findFirst().orElse(""), null,
                    ExitCodes.FAILURE);
        }
    }
}
