package dev.regctl.http;

import java.util.regex.Pattern;

/**
 * Masks credentials in text that may reach a terminal (the {@code -v} trace, error messages):
 * every {@code Basic}/{@code Bearer} value wherever it appears, token-ish JSON fields and query
 * parameters, and URL user-info. A server can echo any of these in a header, a body or a URL.
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
    private static final Pattern SECRET_JSON = Pattern.compile(
            "(?i)(\"(?:token|access_token|refresh_token|password|identitytoken|secret)\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&](?:access_token|token|password|refresh_token|x-amz-signature|x-amz-credential|"
                    + "x-amz-security-token|signature|sig|code)=)[^&\\s\"]*");
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b(https?://)[^/@\\s\"]+@");

    private SecretText() {
    }

    /** {@code text} with every credential this class recognises replaced by {@value #MASK}. */
    public static String redact(String text) {
        String out = SCHEME_VALUE.matcher(text).replaceAll("$1$2" + MASK);
        out = SECRET_JSON.matcher(out).replaceAll("$1" + MASK + "\"");
        out = SECRET_QUERY.matcher(out).replaceAll("$1" + MASK);
        return USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
    }
}
