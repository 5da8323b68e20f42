package dev.regctl.it.support;

import java.util.List;

/** A tool run by the harness (skopeo, keytool) exited non-zero or timed out; carries its stderr. */
public final class CommandFailedException extends RuntimeException {

    private final List<String> command;
    private final int exitCode;
    private final String stderr;

    CommandFailedException(List<String> command, int exitCode, String stderr, String why) {
        super(String.join(" ", command) + ": " + why + (stderr.isBlank() ? "" : "\nstderr:\n" + stderr.strip()));
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stderr = stderr;
    }

    /** The argv that was run (never holds a secret: credentials go through files or the environment). */
    public List<String> command() {
        return command;
    }

    /** The exit status, or -1 when the command was killed for running past its timeout. */
    public int exitCode() {
        return exitCode;
    }

    /** Everything the command wrote to stderr. */
    public String stderr() {
        return stderr;
    }
}
