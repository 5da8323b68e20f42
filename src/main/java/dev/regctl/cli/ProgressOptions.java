package dev.regctl.cli;

import picocli.CommandLine.Option;

/** The global options of a command that reports progress or notes on stderr, which {@code -q} silences. */
final class ProgressOptions extends GlobalOptions {

    @Option(names = {"-q", "--quiet"},
            description = "No progress or notes on stderr (copy, sync, prune); errors and warnings still show.")
    boolean quiet;

    public boolean quiet() {
        return quiet;
    }
}
