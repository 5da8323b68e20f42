package dev.regctl.oci;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The pieces of docker's reference grammar shared by {@link Reference}, {@link RegistryName} and
 * {@link LayoutReference}. Each check returns null when the text is fine, else a one-line
 * problem naming the bad part and how to fix it, so callers can prefix their own context.
 */
final class DockerGrammar {

    /** Docker limits the whole name, registry included, after Hub normalisation. */
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_TAG_LENGTH = 128;

    private static final Pattern DOMAIN_NAME =
            Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]+");
    private static final Pattern PATH_COMPONENT =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private DockerGrammar() {
    }

    /**
     * Docker's rule for whether the first component of a name is a registry rather than the
     * start of a Docker Hub path.
     */
    static boolean looksLikeHost(String firstComponent) {
        return firstComponent.indexOf('.') >= 0 || firstComponent.indexOf(':') >= 0
                || firstComponent.equals("localhost") || !firstComponent.equals(firstComponent.toLowerCase(Locale.ROOT));
    }

    /**
     * True when a name of one component reads as a host once a port follows it ({@code 127.0.0.1},
     * {@code registry.local}, {@code localhost}): Docker Hub names of that form are not meant as such.
     */
    static boolean looksLikeHostAlone(String component) {
        return component.indexOf('.') >= 0 || component.equals("localhost");
    }

    /** Checks {@code HOST[:PORT]}, where HOST is a DNS name, an IPv4 address or {@code [IPv6]}. */
    static String hostProblem(String hostAndPort) {
        if (hostAndPort.isEmpty()) {
            return "empty registry host; expected HOST[:PORT]";
        }
        String host;
        String port;
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            host = close < 0 ? hostAndPort : hostAndPort.substring(0, close + 1);
            port = portAfter(hostAndPort, host.length());
            if (!IPV6.matcher(host).matches()) {
                return "invalid registry host " + quote(host)
                        + ": an IPv6 address is written in brackets with only hex digits and \":\", e.g. [::1]:5000";
            }
        } else {
            int colon = hostAndPort.indexOf(':');
            host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
            port = portAfter(hostAndPort, host.length());
            if (!DOMAIN_NAME.matcher(host).matches()) {
                return "invalid registry host " + quote(host)
                        + ": use a DNS name or IP address (letters, digits, \"-\" and \".\"), or [IPv6] in brackets";
            }
        }
        if (port == null) {
            return "unexpected " + quote(hostAndPort.substring(host.length())) + " after registry host "
                    + quote(host) + "; expected HOST[:PORT]";
        }
        if (!port.isEmpty() && !PORT.matcher(port.substring(1)).matches()) {
            return "invalid port " + quote(port.substring(1)) + " in registry " + quote(hostAndPort)
                    + ": the port must be digits";
        }
        return null;
    }

    /** The {@code :PORT} suffix (possibly empty) starting at {@code from}, or null when something else follows. */
    private static String portAfter(String hostAndPort, int from) {
        String rest = hostAndPort.substring(from);
        return rest.isEmpty() || rest.startsWith(":") ? rest : null;
    }

    /** Checks a repository path such as {@code library/redis}: lower-case components separated by "/". */
    static String pathProblem(String path) {
        if (path.isEmpty()) {
            return "missing repository name";
        }
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            return "repository name " + quote(path) + " must be lowercase";
        }
        if (path.startsWith("/")) {
            return "repository name " + quote(path) + " starts with \"/\"; remove it";
        }
        if (path.endsWith("/")) {
            return "repository name " + quote(path) + " ends with \"/\"; remove it";
        }
        if (path.contains("//")) {
            return "repository name " + quote(path) + " contains \"//\"; use a single \"/\"";
        }
        for (String component : path.split("/")) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return "invalid repository name component " + quote(component)
                        + (component.equals(path) ? "" : " in " + quote(path))
                        + ": use lower-case letters and digits, separated by \".\", \"_\", \"__\" or dashes,"
                        + " starting and ending with a letter or digit";
            }
        }
        return null;
    }

    /** Checks a tag: up to 128 word characters, dots and dashes, not starting with a dot or dash. */
    static String tagProblem(String tag) {
        if (tag.isEmpty()) {
            return "empty tag after \":\"; give a tag or drop the \":\"";
        }
        if (!TAG.matcher(tag).matches()) {
            return "invalid tag " + quote(tag) + ": use letters, digits, \"_\", \".\" and \"-\", not starting with \".\" or \"-\"";
        }
        if (tag.length() > MAX_TAG_LENGTH) {
            return "tag " + quote(abbreviate(tag)) + " is " + tag.length() + " characters long; at most "
                    + MAX_TAG_LENGTH + " are allowed";
        }
        return null;
    }

    /** Checks the length of a fully qualified name ({@code registry/repository}). */
    static String nameLengthProblem(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            return "name " + quote(abbreviate(name)) + " is " + name.length() + " characters long; at most "
                    + MAX_NAME_LENGTH + " are allowed, registry included";
        }
        return null;
    }

    /**
     * The position of the first whitespace or control character, or -1. Checked before anything
     * else so that the quoted input in messages can never break the one-line rule.
     */
    static int firstBlankOrControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The position of the first control character, or -1. */
    static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Quotes user text for a message, escaping what would otherwise break the line. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < ' ' || c == 0x7f || Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Keeps messages about very long input readable. */
    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 20) + "..." + s.substring(s.length() - 12);
    }
}
