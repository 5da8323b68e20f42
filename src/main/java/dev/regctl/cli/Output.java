package dev.regctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Renders a command's result as text lines or as one JSON document on stdout. Text lines pass
 * through {@link TerminalText}; in JSON, Jackson writes every character a terminal acts on as a
 * {@code \}{@code uXXXX} escape, which {@code jq} reads back as the same text.
 */
final class Output {
    /** Built on first JSON use only: Jackson's start-up is a large part of a short run. */
    private static final class Json {
        static final ObjectMapper MAPPER = dev.regctl.Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

        static {
            MAPPER.getFactory().setCharacterEscapes(new TerminalEscapes());
        }
    }

    /** Jackson escapes C0 controls by itself; these add DEL, C1 and the bidi controls. */
    private static final class TerminalEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        TerminalEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return TerminalText.isControl((char) ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }

    private final OutputFormat format;
    private final PrintWriter out;
    private final PrintWriter text;

    public Output(OutputFormat format, PrintWriter out) {
        this.format = format;
        this.out = out;
        this.text = TerminalText.writer(out);
    }

    public boolean isJson() {
        return format == OutputFormat.json;
    }

    /** Prints {@code value} as JSON when {@code -o json}, else lets {@code text} print lines. */
    public void print(Object value, Consumer<PrintWriter> text) {
        if (isJson()) {
            json(value);
        } else {
            text.accept(this.text);
            this.text.flush();
        }
    }

    /** Writes one JSON document. */
    public void json(Object value) {
        try {
            out.println(Json.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
        out.flush();
    }

    /** Where text lines go: control characters in them are escaped, newlines and tabs kept. */
    public PrintWriter writer() {
        return text;
    }
}
