package dev.regctl.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One authentication challenge from a {@code WWW-Authenticate} header (RFC 7235): a scheme such
 * as {@code bearer} or {@code basic} (kept in lower case) and its parameters (names in lower
 * case, values unquoted).
 */
record Challenge(String scheme, Map<String, String> params) {

    /** Parameter name under which a token68 (RFC 7235 section 2.1) is kept, for schemes that use one. */
    public static final String TOKEN68 = "token68";

    public Challenge {
        scheme = Objects.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT);
        Map<String, String> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.putIfAbsent(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v)));
        params = Collections.unmodifiableMap(copy);
    }

    /** True when this challenge's scheme is {@code scheme}, compared without regard to case. */
    public boolean is(String scheme) {
        return this.scheme.equalsIgnoreCase(scheme);
    }

    /** The {@code realm} parameter (for Bearer: the token endpoint), or null. */
    public String realm() {
        return params.get("realm");
    }

    /** The {@code service} parameter, or null. */
    public String service() {
        return params.get("service");
    }

    /** The {@code scope} parameter: space-separated scopes the request needs, or null. */
    public String scope() {
        return params.get("scope");
    }

    /** The {@code error} parameter (e.g. {@code insufficient_scope}, {@code invalid_token}), or null. */
    public String error() {
        return params.get("error");
    }

    /**
     * Parses every challenge in the given header values. Never fails: what cannot be understood
     * is skipped, because a registry's odd header must not stop a public pull.
     */
    public static List<Challenge> parse(List<String> wwwAuthenticateHeaders) {
        List<Challenge> out = new ArrayList<>();
        for (String header : wwwAuthenticateHeaders) {
            if (header != null) {
                new Parser(header).challenges(out);
            }
        }
        return List.copyOf(out);
    }

    /** A cursor over one header value; the grammar is small enough to walk by hand. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void challenges(List<Challenge> out) {
            while (true) {
                skip(" \t,");
                if (atEnd()) {
                    return;
                }
                String scheme = token();
                if (scheme.isEmpty()) {
                    skipJunk();
                    continue;
                }
                Map<String, String> params = new LinkedHashMap<>();
                boolean spaced = skip(" \t");
                if (spaced && !atEnd() && peek() != ',' && !token68(params)) {
                    params(params);
                }
                out.add(new Challenge(scheme, params));
            }
        }

        /**
         * Reads a token68 if one follows the scheme: a run of token68 characters and '=' padding that
         * ends the challenge. Otherwise leaves the position alone and returns false.
         */
        private boolean token68(Map<String, String> params) {
            int start = pos;
            while (!atEnd() && isToken68Char(peek())) {
                pos++;
            }
            if (pos == start) {
                return false;
            }
            while (!atEnd() && peek() == '=') {
                pos++;
            }
            int end = pos;
            skip(" \t");
            if (atEnd() || peek() == ',') {
                params.put(TOKEN68, s.substring(start, end));
                return true;
            }
            pos = start;
            return false;
        }

        /** Reads {@code name=value} pairs until the header ends or a token starts the next challenge. */
        private void params(Map<String, String> params) {
            while (true) {
                skip(" \t,");
                if (atEnd()) {
                    return;
                }
                int start = pos;
                String name = token();
                if (name.isEmpty()) {
                    skipJunk();
                    continue;
                }
                skip(" \t");
                if (atEnd() || peek() != '=') {
                    pos = start; // a bare token here is the next challenge's scheme
                    return;
                }
                pos++;
                skip(" \t");
                String value = !atEnd() && peek() == '"' ? quoted() : bareValue();
                params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
            }
        }

        /** A quoted-string with its backslash escapes undone; an unterminated one runs to the end. */
        private String quoted() {
            StringBuilder b = new StringBuilder();
            pos++;
            while (!atEnd()) {
                char c = s.charAt(pos++);
                if (c == '\\' && !atEnd()) {
                    b.append(s.charAt(pos++));
                } else if (c == '"') {
                    return b.toString();
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }

        /**
         * An unquoted value. RFC 7235 allows only a token, but servers send bare URLs
         * ({@code realm=https://...}), so anything up to a comma or space is taken.
         */
        private String bareValue() {
            int start = pos;
            while (!atEnd() && peek() != ',' && peek() != ' ' && peek() != '\t') {
                pos++;
            }
            return s.substring(start, pos);
        }

        private String token() {
            int start = pos;
            while (!atEnd() && isTokenChar(peek())) {
                pos++;
            }
            return s.substring(start, pos);
        }

        /** Skips an unparseable stretch up to the next comma, stepping over quoted strings whole. */
        private void skipJunk() {
            while (!atEnd() && peek() != ',') {
                if (peek() == '"') {
                    quoted();
                } else {
                    pos++;
                }
            }
        }

        private boolean skip(String chars) {
            int start = pos;
            while (!atEnd() && chars.indexOf(peek()) >= 0) {
                pos++;
            }
            return pos > start;
        }

        private boolean atEnd() {
            return pos >= s.length();
        }

        private char peek() {
            return s.charAt(pos);
        }

        private static boolean isTokenChar(char c) {
            return c < 127 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
        }

        private static boolean isToken68Char(char c) {
            return c < 127 && (Character.isLetterOrDigit(c) || "-._~+/".indexOf(c) >= 0);
        }
    }
}
