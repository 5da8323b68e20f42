package dev.regctl.auth;

import dev.regctl.http.SecretText;

/** Keeps secrets out of text that may reach the user: error bodies, helper output, messages. */
final class Redaction {
    static final String MASK = "***";

    private Redaction() {
    }

    /**
     * {@code text} with every occurrence of each non-empty secret masked, and every credential
     * {@link SecretText} recognises (a server may echo the base64 pair it was sent, which the
     * password alone does not match).
     */
    static String redact(String text, String... secrets) {
        String out = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, MASK);
            }
        }
        return SecretText.redact(out);
    }

    /**
     * Flattens {@code text} to one line of at most {@code max} characters, because messages end up
     * as a single {@code regctl: ...} line on stderr.
     */
    static String oneLine(String text, int max) {
        String line = text.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() <= max ? line : line.substring(0, max) + "...";
    }
}
