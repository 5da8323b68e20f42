package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everySubcommandAnswersHelpWithoutItsArguments() {
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Run r = run(name, "--help");
            assertEquals(0, r.code(), name + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: regctl " + name), name + ": " + r.out());
        }
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = run();
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("regctl: missing command"), r.err());
    }
}
