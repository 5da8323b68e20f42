package dev.regctl.cli;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** How every command's help is set up: the same {@code -h}, wrapping at spaces only, the exit codes at the top. */
final class UsageHelp {
    static final String HELP_DESCRIPTION = "Show this help message and exit.";
    /** The heading of every command's footer, which holds its examples. */
    static final String EXAMPLES = "%nExamples:%n";
    static final String EXIT_STATUS = "%nExit status:%n";

    private UsageHelp() {
    }

    /** Sets up the help of {@code root} and of the subcommands it has now, a group's (manifest get) included. */
    static void setUp(CommandLine root) {
        root.getCommandSpec().usageMessage().exitCodeListHeading(EXIT_STATUS).exitCodeList(exitStatus());
        addHelpOption(root.getSubcommands().values());
        HelpWrapping.install(root);
    }

    private static void addHelpOption(Collection<CommandLine> commands) {
        for (CommandLine sub : commands) {
            CommandSpec spec = sub.getCommandSpec();
            // Not inherited from the root: picocli's help command has its own -h, which would then clash.
            if (spec.findOption("--help") == null) {
                spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description(HELP_DESCRIPTION).build());
            }
            addHelpOption(sub.getSubcommands().values());
        }
    }

    /** The exit codes every command uses and what each means, as docs/commands.md lists them. */
    static Map<String, String> exitStatus() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(code(ExitCodes.OK), "success");
        codes.put(code(ExitCodes.FAILURE), "any other failure (network, TLS, registry error, digest mismatch,"
                + " a layout or archive that cannot be written)");
        codes.put(code(ExitCodes.USAGE), "bad usage or bad input (unknown option, unparsable reference,"
                + " a registry or URL where an image belongs, a destination path with something in the way)");
        codes.put(code(ExitCodes.NOT_FOUND), "not found (404, NAME_UNKNOWN, MANIFEST_UNKNOWN)");
        codes.put(code(ExitCodes.AUTH), "authentication or authorization refused (401/403, bad login)");
        codes.put(code(ExitCodes.UNSUPPORTED), "not supported by this registry (delete disabled, no catalog)");
        codes.put(code(EarlyExit.INTERRUPTED), "stopped by Ctrl-C or SIGTERM (--timeout ends with 1)");
        return codes;
    }

    private static String code(int code) {
        return String.valueOf(code);
    }
}
