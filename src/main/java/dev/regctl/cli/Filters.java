package dev.regctl.cli;

import dev.regctl.RegctlException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Compiles {@code --filter} values, turning a bad pattern into a usage error. */
final class Filters {
    private Filters() {
    }

    static Pattern compile(String regex) {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new RegctlException(RegctlException.Kind.USAGE,
                    "invalid --filter \"" + regex + "\": " + e.getDescription() + " near index " + e.getIndex());
        }
    }
}
