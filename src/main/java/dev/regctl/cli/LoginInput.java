package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.auth.Credential;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The user name and password {@code login} checks: from {@code -u} and {@code -p}, stdin
 * ({@code --password-stdin}) or the terminal, each refused by name when empty before anything is
 * sent. Nothing here ever quotes what was typed.
 */
final class LoginInput {
    /** A password longer than this on stdin is a mistake (a file piped in by accident). */
    private static final int MAX_PASSWORD = 64 * 1024;

    /** Where to ask for what was not given: the terminal, or a test. */
    interface Prompt {
        /** The line typed, or null when input ended first. */
        String readLine(String prompt);

        /** The password typed (not echoed), or null when input ended first. */
        char[] readPassword(String prompt);

        /** The terminal regctl runs on, or null when there is none. */
        static Prompt terminal() {
            Console console = System.console();
            if (console == null) {
                return null;
            }
            return new Prompt() {
                @Override
                public String readLine(String prompt) {
                    return console.readLine(prompt);
                }

                @Override
                public char[] readPassword(String prompt) {
                    return console.readPassword(prompt);
                }
            };
        }
    }

    private LoginInput() {
    }

    /**
     * @param username      {@code -u}, or null
     * @param password      {@code -p}, or null
     * @param passwordStdin whether {@code --password-stdin} was given
     * @param stdin         where {@code --password-stdin} reads
     * @param prompt        where to ask for what is missing, or null when there is no terminal
     * @throws RegctlException USAGE naming what is missing or empty
     */
    static Credential.Basic read(String username, String password, boolean passwordStdin, InputStream stdin, Prompt prompt) {
        if (password != null && passwordStdin) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--password and --password-stdin are mutually exclusive");
        }
        String user = username;
        if (user == null || user.isEmpty()) {
            if (prompt == null || passwordStdin) {
                throw new RegctlException(RegctlException.Kind.USAGE, "no user name given", "pass -u USER", null);
            }
            user = prompt.readLine("Username: ");
            if (user == null) {
                throw empty("user name", "input ended before one was typed");
            }
        }
        if (user.isBlank()) {
            throw empty("user name", null);
        }
        String secret = password;
        if (passwordStdin) {
            secret = readStdin(stdin);
            if (secret.isEmpty()) {
                throw empty("password", "--password-stdin read nothing from stdin");
            }
        } else if (secret == null) {
            if (prompt == null) {
                throw new RegctlException(RegctlException.Kind.USAGE, "no password given and no terminal to ask on",
                        "pipe it with --password-stdin", null);
            }
            char[] typed = prompt.readPassword("Password: ");
            if (typed == null) {
                throw empty("password", "input ended before one was typed");
            }
            secret = new String(typed);
        }
        if (secret.isEmpty()) {
            throw empty("password", null);
        }
        return new Credential.Basic(user, secret);
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    private static RegctlException empty(String what, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, "the " + what + " is empty" + (why == null ? "" : ": " + why));
    }

    private static String readStdin(InputStream in) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            int n;
            while ((n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
                if (buf.size() > MAX_PASSWORD) {
                    throw new RegctlException(RegctlException.Kind.USAGE, "the password on stdin is longer than 64 KiB");
                }
            }
            // docker strips exactly one trailing "\n", then one "\r": the line ending 'echo' adds.
            return stripSuffix(stripSuffix(buf.toString(StandardCharsets.UTF_8), "\n"), "\r");
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "cannot read the password from stdin: " + e.getMessage());
        }
    }
}
