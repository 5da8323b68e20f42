package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void everyControlCharacterOfALineIsShownAsAnEscape() {
        assertEquals("\\x1b]0;pwned\\x07v1", TerminalText.line("\u001b]0;pwned\u0007v1"));
        assertEquals("a\\x0ab\\x0dc\\x09d\\x00", TerminalText.line("a\nb\rc\td\0"));
        assertEquals("\\x7f\\x9b2J\\x80\\x9f", TerminalText.line("\u007f\u009b2J\u0080\u009f"));
        assertEquals("\\u202egnp.exe \\u2066x\\u2069 \\u202a\\u202b\\u202c\\u202d\\u2067\\u2068",
                TerminalText.line("\u202egnp.exe \u2066x\u2069 \u202a\u202b\u202c\u202d\u2067\u2068"));
    }

    @Test
    void unicodeLineSeparatorsNelAndBidiMarksAreEscapedToo() {
        assertEquals("v1\\u2028forged\\u2029line\\x85next", TerminalText.line("v1\u2028forged\u2029line\u0085next"));
        assertEquals("\\u200fabc\\u200e\\u061c", TerminalText.line("\u200fabc\u200e\u061c"));
        StringWriter sink = new StringWriter();
        PrintWriter w = TerminalText.writer(sink);
        w.print("tag\u2028sha256:forged\u2029");
        w.flush();
        assertEquals("tag\\u2028sha256:forged\\u2029", sink.toString(), "the writer under every line escapes them");
    }

    @Test
    void ordinaryTextIsLeftAloneAndNotCopied() {
        String text = "docker.io/library/r\u00e9dis:1.0 \u65e5\u672c \ud83d\ude00 \u00a0\u00ff\\x1b";
        assertSame(text, TerminalText.line(text));
    }

    @Test
    void columnsEscapeTabsAndNewlinesInsideValuesOnly() {
        assertEquals("v1\\x09fake\tsha256:a\\x0aforged", TerminalText.columns("v1\tfake", "sha256:a\nforged"));
    }

    @Test
    void theWriterKeepsLinesAndColumnsButEscapesTheRest() {
        StringWriter sink = new StringWriter();
        PrintWriter w = TerminalText.writer(sink);
        w.println("tag\u001b[2J\tdigest");
        w.print('\u009b');
        w.print("\u202e\r");
        w.flush();
        assertEquals("tag\\x1b[2J\tdigest" + System.lineSeparator() + "\\x9b\\u202e\\x0d", sink.toString());
    }
}
