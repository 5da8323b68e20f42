package dev.regctl.ops;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.regctl.RegctlException;

/**
 * A regular expression a user gives to pick names (tags, repositories), matched against the whole
 * name. Names come from registries, so they are hostile input: the pattern is RE2 syntax, as Go
 * tools take it, and runs in time linear in the name, where a backtracking engine can spend
 * minutes on one 100-character tag with a pattern such as {@code (.*-){6}rc}. The syntax only
 * backtracking can run (backreferences, lookaround, atomic groups, possessive repetition) is
 * refused when the pattern is compiled.
 */
public final class NamePattern {
    private static final String ENGINE = "filters are RE2 regular expressions, matched in linear time";

    private final Pattern pattern;

    private NamePattern(Pattern pattern) {
        this.pattern = pattern;
    }

    /**
     * Compiles {@code regex}; {@code where} names where it was given ({@code --filter},
     * {@code FILE line 5: tags.allow}) in the message of a pattern that does not compile.
     *
     * @throws RegctlException USAGE: {@code WHERE "REGEX": why}
     */
    public static NamePattern compile(String regex, String where) {
        try {
            return new NamePattern(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, where + " \"" + regex + "\": " + why(e));
        }
    }

    /** True when the whole of {@code name} matches. */
    public boolean matches(String name) {
        return pattern.matches(name);
    }

    /** The pattern as the user wrote it. */
    @Override
    public String toString() {
        return pattern.pattern();
    }

    /** What is wrong, in words that say when it is a backtracking construct rather than a typo. */
    private static String why(PatternSyntaxException e) {
        String at = e.getPattern() == null ? "" : e.getPattern();
        String unsupported = at.matches("\\\\([1-9]|k).*") ? "backreferences (" + at + ")"
                : at.matches("\\(\\?(=|!|<=|<!).*")
                        ? "lookahead and lookbehind (" + at.substring(0, at.startsWith("(?<") ? 4 : 3) + ")"
                : at.startsWith("(?>") ? "atomic groups ((?>)"
                : at.matches("[*+?}]\\+") ? "possessive repetition (" + at + ")"
                : null;
        if (unsupported != null) {
            return unsupported + " are not supported: " + ENGINE;
        }
        return e.getDescription() + (at.isEmpty() ? "" : ": " + at);
    }
}
