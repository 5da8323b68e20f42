package dev.regctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Renders a command's result as text lines or as one JSON document on stdout. */
public final class Output {
    /** Built on first JSON use only: Jackson's start-up is a large part of a short run. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final OutputFormat format;
    private final PrintWriter out;

    public Output(OutputFormat format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    public boolean isJson() {
        return format == OutputFormat.json;
    }

    /** Prints {@code value} as JSON when {@code -o json}, else lets {@code text} print lines. */
    public void print(Object value, Consumer<PrintWriter> text) {
        if (isJson()) {
            json(value);
        } else {
            text.accept(out);
        }
        out.flush();
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

    public PrintWriter writer() {
        return out;
    }
}
