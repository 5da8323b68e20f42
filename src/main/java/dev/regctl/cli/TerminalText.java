package dev.regctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Makes text from registries and layouts (tags, repository names, error text, media types) safe
 * to print: every character a terminal would act on instead of showing (C0 controls, DEL, C1
 * controls with NEL, the Unicode line and paragraph separators, the bidi marks, embeddings,
 * overrides and isolates) is printed as a visible escape such as
 * {@code \x1b} or {@code \u202e}, so no registry can set the window title, clear the screen, or
 * make one line read as another. Applied where text leaves regctl; {@code inspect --raw} and
 * {@code --config} are data and stay byte-exact.
 */
final class TerminalText {
    /** A bare CR rewrites the line on screen; kept only as part of the platform's line separator. */
    private static final boolean CRLF = System.lineSeparator().equals("\r\n");

    private TerminalText() {
    }

    /** {@code text} for inside one line or column: every control character escaped, newline and tab included. */
    public static String line(String text) {
        return text == null ? null : escape(text, false);
    }

    /** The values from outside, each as by {@link #line}, joined by tabs: one line of columns. */
    public static String columns(String... values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : "\t").append(line(values[i]));
        }
        return b.toString();
    }

    /**
     * A writer passing everything through as by {@link #line} except newlines and tabs, which the
     * lines and columns written through it are made of: the safety net under every line printed.
     */
    public static PrintWriter writer(Writer out) {
        return new PrintWriter(new Escaping(out), true);
    }

    /**
     * True for a character a terminal acts on rather than shows: C0, DEL and C1 (NEL, U+0085,
     * among them); U+2028 and U+2029, which break a line wherever Unicode line breaking is
     * honoured; and the bidi controls (the marks U+061C, U+200E, U+200F, the embeddings and
     * overrides U+202A–U+202E, the isolates U+2066–U+2069), which reorder what is shown around
     * them so that one name reads as another.
     */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    private static String escape(String text, boolean layout) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean keep = !isControl(c) || layout && kept(text, i);
            if (keep && b == null) {
                continue;
            }
            if (b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (keep) {
                b.append(c);
            } else {
                b.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return b == null ? text : b.toString();
    }

    /** Whether the control character at {@code i} is layout: a newline, a tab, or a CRLF's CR where CRLF ends lines. */
    private static boolean kept(CharSequence text, int i) {
        char c = text.charAt(i);
        return c == '\n' || c == '\t' || CRLF && c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
    }

    /** Escapes what is written, chunk by chunk; every escaped character is one UTF-16 unit, so chunks never split one. */
    private static final class Escaping extends Writer {
        private final Writer out;

        Escaping(Writer out) {
            this.out = out;
        }

        @Override
        public void write(char[] chars, int off, int len) throws IOException {
            out.write(escape(new String(chars, off, len), true));
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            out.write(escape(s.substring(off, off + len), true));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
