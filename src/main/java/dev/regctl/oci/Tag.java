package dev.regctl.oci;

import dev.regctl.RegctlException;

/**
 * A tag as the distribution spec allows it ({@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}). Text
 * from outside (a registry's tag list, a layout's {@code ref.name}) becomes one before it is put
 * into a URL, where {@code ..} or {@code /} would name another repository.
 */
public record Tag(String value) {

    public Tag {
        String problem = DockerGrammar.tagProblem(value);
        if (problem != null) {
            throw new RegctlException(RegctlException.Kind.FAILURE, problem);
        }
    }

    /** True when {@code text} is a valid tag. */
    public static boolean isValid(String text) {
        return DockerGrammar.tagProblem(text) == null;
    }

    /** Quotes outside text for a one-line message, control characters escaped. */
    public static String quote(String text) {
        return DockerGrammar.quote(text);
    }

    @Override
    public String toString() {
        return value;
    }
}
