package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import dev.regctl.auth.Credential;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What login takes from -u/-p, stdin and the terminal, and how it refuses what is empty. */
class LoginInputTest {
    @TempDir
    Path tmp;

    /** A terminal whose user typed these (null: pressed Ctrl-D, or stdin was closed). */
    private record Typed(String line, String password) implements LoginInput.Prompt {
        @Override
        public String readLine(String prompt) {
            return line;
        }

        @Override
        public char[] readPassword(String prompt) {
            return password == null ? null : password.toCharArray();
        }
    }

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static RegctlException refused(String username, String password, boolean passwordStdin, String stdin,
            LoginInput.Prompt prompt) {
        RegctlException e = assertThrows(RegctlException.class,
                () -> LoginInput.read(username, password, passwordStdin, stdin(stdin), prompt));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        return e;
    }

    @Test
    void passwordStdinTakesStdinWithoutItsLastLineEndingOnly() {
        // as docker: one "\n", then one "\r"; a password may end in a line break of its own
        assertEquals(new Credential.Basic("u", "pw\n"), LoginInput.read("u", null, true, stdin("pw\n\n"), null));
        assertEquals(new Credential.Basic("u", "pw"), LoginInput.read("u", null, true, stdin("pw\r\n"), null));
        assertEquals(new Credential.Basic("u", " pw "), LoginInput.read("u", null, true, stdin(" pw "), null));
    }

    @Test
    void emptyStdinSaysThePasswordIsEmpty() {
        assertEquals("the password is empty: --password-stdin read nothing from stdin",
                refused("u", null, true, "", null).getMessage());
        assertEquals("the password is empty: --password-stdin read nothing from stdin",
                refused("u", null, true, "\n", null).getMessage());
    }

    @Test
    void aPromptThatMeetsTheEndOfInputSaysThePasswordIsEmpty() {
        RegctlException e = refused("u", null, false, "", new Typed(null, null));
        assertEquals("the password is empty: input ended before one was typed", e.getMessage());
        assertNull(e.hint());
        assertEquals("the password is empty", refused("u", null, false, "", new Typed(null, "")).getMessage());
    }

    @Test
    void anEmptyPasswordOptionSaysSo() {
        assertEquals("the password is empty", refused("u", "", false, "", null).getMessage());
    }

    @Test
    void anEmptyUserNameIsNamedAsSuch() {
        assertEquals("the user name is empty", refused(" ", "pw", false, "", null).getMessage());
        assertEquals("the user name is empty: input ended before one was typed",
                refused(null, null, false, "", new Typed(null, "pw")).getMessage());
    }

    @Test
    void theTerminalIsAskedForWhatIsMissing() {
        assertEquals(new Credential.Basic("typed-user", "typed-pw"),
                LoginInput.read(null, null, false, stdin(""), new Typed("typed-user", "typed-pw")));
    }

    @Test
    void withoutATerminalMissingValuesAreNamed() {
        assertEquals("no user name given", refused(null, null, true, "pw", null).getMessage());
        RegctlException e = refused("u", null, false, "", null);
        assertEquals("no password given and no terminal to ask on", e.getMessage());
        assertEquals("pipe it with --password-stdin", e.hint());
    }

    @Test
    void passwordAndPasswordStdinExcludeEachOther() {
        assertEquals("--password and --password-stdin are mutually exclusive",
                refused("u", "pw", true, "pw", null).getMessage());
    }

    @Test
    void emptyStdinIsOneLineAndExitTwoBeforeAnyRequest() throws Exception {
        InputStream saved = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try {
            System.setIn(stdin(""));
            // port 9 on loopback: nothing listens, and nothing may be asked of it
            exit = Main.run(new String[] {"login", "127.0.0.1:9", "-u", "u", "--password-stdin",
                "--config", tmp.resolve("docker").toString()}, new PrintWriter(out), new PrintWriter(err));
        } finally {
            System.setIn(saved);
        }
        assertEquals(ExitCodes.USAGE, exit, err.toString());
        assertEquals("regctl: the password is empty: --password-stdin read nothing from stdin\n", err.toString());
        assertEquals("", out.toString());
        assertFalse(Files.exists(tmp.resolve("docker")));
    }
}
