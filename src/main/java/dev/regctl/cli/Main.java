package dev.regctl.cli;

import dev.regctl.RegctlException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: wires the subcommands and turns every failure into one stderr line and an exit code. */
@Command(name = "regctl", mixinStandardHelpOptions = true, versionProvider = Version.class,
        // Inherited so "regctl copy --help" works like "regctl help copy".
        scope = CommandLine.ScopeType.INHERIT,
        description = "List, inspect, copy and delete images in container registries.",
        // In CLI.md's order, which is what --help lists.
        subcommands = {
            LsCommand.class,
            TagsCommand.class,
            InspectCommand.class,
            DigestCommand.class,
            RefCommand.class,
            CopyCommand.class,
            DeleteCommand.class,
            PruneCommand.class,
            LoginCommand.class,
            LogoutCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs regctl with the given streams and returns the exit code (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler(Main::executionError);
        return cli;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("regctl: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int executionError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean verbose = parsed.hasMatchedOption("--verbose");
        ErrorReport report = ErrorReport.of(e);
        err.println("regctl: " + report.message());
        if (report.hint() != null) {
            err.println("hint: " + report.hint());
        }
        if (verbose) {
            e.printStackTrace(err);
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
            if (e instanceof RegctlException r) {
                return new ErrorReport(r.getMessage(), r.hint(), ExitCodes.of(r.kind()));
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ErrorReport("unexpected failure: " + why.lines().findFirst().orElse(""), null,
                    ExitCodes.FAILURE);
        }
    }
}
