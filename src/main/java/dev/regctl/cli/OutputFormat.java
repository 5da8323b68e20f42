package dev.regctl.cli;

/** The values of {@code -o/--output}. */
enum OutputFormat {
    text,
    json
}
