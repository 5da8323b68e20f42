package dev.regctl.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in text that may reach a terminal (the {@code -v} trace, error messages), by
 * rule rather than by a list of known names, since every cloud names its signatures its own way:
 * every {@code Basic}/{@code Bearer} value and every JWT wherever it appears, the values of query
 * parameters and JSON fields whose names look secret ({@link #isSecretName}), and URL user-info.
 * A server can echo any of these in a header, a body or a URL.
 */
public final class SecretText {
    public static final String MASK = "[redacted]";

    /**
     * A scheme word, its separator (space, {@code %20} or {@code +} inside URLs) and a token68
     * value. Challenge parameters ({@code Bearer realm="..."}) are not credentials and stay
     * readable, as do plain lowercase words ("Basic auth failed"): real credentials (base64,
     * JWTs, hex) always hold a capital, a digit or a symbol.
     */
    private static final Pattern SCHEME_VALUE = Pattern.compile(
            "(?i)\\b(basic|bearer)(\\s+|%20|\\+)"
                    + "(?!(?:realm|service|scope|error|error_description|error_uri|charset)\\s*=)"
                    + "(?-i:(?![a-z]+\\b(?![.~+/=-]))[A-Za-z0-9._~+/-]+=*)");
    /**
     * A JWT, signed or encrypted: base64url parts joined by dots, the first a JSON object
     * ({@code eyJ} is how an opening brace and quote encode): a shape registry names and digests
     * do not take.
     */
    private static final Pattern JWT = Pattern.compile("\\beyJ[\\w-]*\\.[\\w-]+\\.[\\w-]*(?:\\.[\\w-]*){0,2}");
    /** A JSON string field; the value unrolled ({@code [^"\\]*(\\.[^"\\]*)*}) so a long one cannot exhaust the stack. */
    private static final Pattern JSON_FIELD = Pattern.compile(
            "(\"((?:[^\"\\\\]|\\\\.){1,100})\"\\s*:\\s*\")[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"");
    private static final Pattern QUERY_PARAM = Pattern.compile("([?&#]([^=&?#\\s\"'<>]{1,100})=)[^&#\\s\"'<>]*");
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b(https?://)[^/@\\s\"]+@");

    /** Found anywhere in a name, these mark it secret ({@code access_token}, {@code X-Amz-Signature}). */
    private static final Pattern SECRET_PART = Pattern.compile(
            "token|secret|passw|signature|credential|authoriz|cookie|apikey|jwt");
    /** Too short to look for inside other words, these mark a name secret as one of its words ({@code X-Api-Key}). */
    private static final Set<String> SECRET_WORDS = Set.of("auth", "key", "sig");
    /** OAuth's authorization code travels as {@code ?code=}; in JSON, {@code "code"} is a registry's error code. */
    private static final Set<String> SECRET_QUERY_NAMES = Set.of("code");

    private SecretText() {
    }

    /** {@code text} with every credential this class recognises replaced by {@value #MASK}. */
    public static String redact(String text) {
        String out = SCHEME_VALUE.matcher(text).replaceAll("$1$2" + MASK);
        out = JWT.matcher(out).replaceAll(MASK);
        out = maskNamed(JSON_FIELD, out, false, "\"");
        out = maskNamed(QUERY_PARAM, out, true, "");
        return USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
    }

    /**
     * Whether a header, query parameter or JSON field of this name carries a credential, in any
     * case: it holds {@code token}, {@code secret}, {@code passw}, {@code signature},
     * {@code credential}, {@code authoriz}, {@code cookie}, {@code apikey} or {@code jwt}, or
     * has {@code auth}, {@code key} or {@code sig} as a word. {@code WWW-Authenticate} does not:
     * challenges are what one debugs.
     */
    public static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (SECRET_PART.matcher(n).find()) {
            return true;
        }
        for (String word : n.split("[-_.\\s]+")) {
            if (SECRET_WORDS.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with the value of each {@code pattern} match masked where its group 2 is a secret name. */
    private static String maskNamed(Pattern pattern, String text, boolean query, String close) {
        Matcher m = pattern.matcher(text);
        return m.replaceAll(r -> {
            String name = query ? decoded(r.group(2)) : r.group(2);
            boolean secret = isSecretName(name) || (query && SECRET_QUERY_NAMES.contains(name.toLowerCase(Locale.ROOT)));
            return Matcher.quoteReplacement(secret ? r.group(1) + MASK + close : r.group());
        });
    }

    /** A query parameter's name as its percent-encoding spells it ({@code api%5Fkey} is {@code api_key}). */
    private static String decoded(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }
}
