package dev.regctl.cli;

import dev.regctl.ops.NamePattern;

/** Compiles {@code --filter} values, a bad pattern being a usage error that names the option. */
final class Filters {
    private Filters() {
    }

    /** The pattern, or null when no {@code --filter} was given. */
    static NamePattern compile(String regex) {
        return regex == null ? null : NamePattern.compile(regex, "--filter");
    }
}
