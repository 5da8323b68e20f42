package dev.regctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl completion bash|zsh|fish}: prints the shell completion script. */
@Command(name = "completion",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # For this bash session, or installed for fish",
            "  source <(regctl completion bash)",
            "  regctl completion fish > ~/.config/fish/completions/regctl.fish"},
        description = "Print a shell completion script (bash, zsh or fish).")
final class CompletionCommand implements Callable<Integer> {
    /** The shells we generate for. */
    public enum Shell { bash, zsh, fish }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "One of: ${COMPLETION-CANDIDATES}")
    Shell shell;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(Completions.script(shell, spec.root()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
