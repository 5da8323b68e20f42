package dev.regctl.cli;

/** The values of {@code -o/--output}. */
public enum OutputFormat {
    text,
    json
}
