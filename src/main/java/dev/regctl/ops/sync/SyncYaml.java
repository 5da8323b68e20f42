package dev.regctl.ops.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A sync file's YAML as a tree that knows the line of every key and value, so each mistake can
 * be reported where it is. Only what the format needs is read: mappings, lists and scalars.
 * Anchors, aliases and tags are refused rather than resolved (an alias read as text once turned
 * a deny list into the regex {@code protect}), and so is a key given twice.
 */
final class SyncYaml {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\r\n\u0085\u2028\u2029]");
    /** The parser's names for where it was, in the words of someone writing the file. */
    private static final Map<String, String> CONTEXTS = Map.of(
            "while parsing a flow sequence", "in the [...] list",
            "while parsing a flow mapping", "in the {...} mapping",
            "while parsing a block mapping", "in the mapping",
            "while parsing a block collection", "in the list",
            "while scanning a simple key", "in the key");

    private SyncYaml() {
    }

    /** A value in the file. */
    sealed interface Node permits Mapping, Sequence, Scalar {
        /** Where the value starts, from 1. */
        int line();
    }

    /** A key, the line it is on, and its value. */
    record Field(String key, int line, Node value) {
    }

    /** A mapping, its keys in the file's order. */
    record Mapping(int line, Map<String, Field> fields) implements Node {
    }

    record Sequence(int line, List<Node> items) implements Node {
    }

    /**
     * A plain or quoted value as written ({@code 1.0} stays {@code "1.0"}), or null for an empty
     * value or {@code ~}; {@code bool} is the boolean YAML reads in it ({@code true}, {@code yes}),
     * else null.
     */
    record Scalar(int line, String text, Boolean bool) implements Node {
    }

    /** What is wrong at a line of the file (0: the file as a whole). */
    static final class Problem extends RuntimeException {
        private final int line;

        Problem(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    /**
     * The document in {@code text}, or null when it holds none.
     *
     * @throws Problem for YAML that does not parse, with the parser's cause in plain words, and
     *                 for the YAML features a sync file does not use
     */
    static Node read(String text) {
        YAMLParser parser;
        try {
            parser = YAML.createParser(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String is never unreadable
        }
        try (parser) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            Node root = node(parser, first);
            if (parser.nextToken() != null) {
                throw new Problem(line(parser), "a second YAML document: a sync file is one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntax(e, text, line(parser));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String is never unreadable
        }
    }

    private static Node node(YAMLParser parser, JsonToken token) throws IOException {
        int line = line(parser);
        Object anchor = parser.getObjectId();
        if (anchor != null || parser.isCurrentAlias()) {
            throw new Problem(line, "YAML anchors and aliases (" + (anchor != null ? "&" + anchor : "*" + parser.getText())
                    + ") are not used in a sync file: write each value out");
        }
        if (parser.getTypeId() != null) {
            throw new Problem(line, "YAML tags (!" + parser.getTypeId().replaceFirst("^tag:yaml.org,2002:", "!")
                    + ") are not used in a sync file: quote the value instead");
        }
        return switch (token) {
            case START_OBJECT -> mapping(parser, line);
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    items.add(node(parser, t));
                }
                yield new Sequence(line, items);
            }
            case VALUE_NULL -> new Scalar(line, null, null);
            case VALUE_TRUE -> new Scalar(line, parser.getText(), true);
            case VALUE_FALSE -> new Scalar(line, parser.getText(), false);
            default -> new Scalar(line, parser.getText(), null);
        };
    }

    private static Mapping mapping(YAMLParser parser, int line) throws IOException {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String key = parser.currentName();
            int keyLine = line(parser);
            Field earlier = fields.get(key);
            if (earlier != null) {
                throw new Problem(keyLine, "key \"" + key + "\" given twice (first on line " + earlier.line() + ")");
            }
            fields.put(key, new Field(key, keyLine, node(parser, parser.nextToken())));
        }
        return new Mapping(line, fields);
    }

    private static int line(YAMLParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    /** The parser's complaint as a line and a cause the user can act on. */
    private static Problem syntax(JsonProcessingException e, String text, int reached) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                return syntax(m, text);
            }
        }
        if (e instanceof StreamConstraintsException) {
            return new Problem(reached, "nested too deeply for a sync file (lists or mappings more than 1000 levels deep)");
        }
        int line = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? reached : e.getLocation().getLineNr();
        return new Problem(line, "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }

    private static Problem syntax(MarkedYAMLException m, String text) {
        String problem = m.getProblem() == null ? "" : m.getProblem();
        String context = m.getContext() == null ? "" : m.getContext();
        int at = m.getProblemMark().getLine() + 1;
        int started = m.getContextMark() == null ? at : m.getContextMark().getLine() + 1;
        if (problem.startsWith("could not find expected ':'")) {
            return new Problem(started, "':' expected after key \"" + textAt(text, m.getContextMark() == null
                    ? m.getProblemMark() : m.getContextMark()) + "\"");
        }
        if (problem.contains("(TAB)")) {
            return new Problem(at, "tabs are not allowed for indentation");
        }
        if (context.equals("while scanning a quoted scalar")) {
            return new Problem(started, "a quoted value is not closed");
        }
        if (problem.startsWith("mapping values are not allowed here")) {
            return new Problem(at, "':' not allowed here (a value that holds \": \" must be quoted)");
        }
        if (problem.startsWith("expected <block end>")) {
            return new Problem(at, "this line is not indented as the block it belongs to (from line " + started + ")");
        }
        String within = context.isEmpty() ? "" : " (" + CONTEXTS.getOrDefault(context, context)
                + (started != at ? " from line " + started : "") + ")";
        return new Problem(at, "not valid YAML: " + problem.replace("<stream end>", "the end of the file") + within);
    }

    /** The text from {@code mark} to the end of its line, shortened: the key the parser was reading. */
    private static String textAt(String text, Mark mark) {
        String[] lines = LINE_BREAK.split(text, -1); // the breaks YAML counts lines by
        if (mark.getLine() >= lines.length) {
            return "";
        }
        String line = lines[mark.getLine()];
        String rest = line.substring(Math.min(mark.getColumn(), line.length())).strip();
        return rest.length() > 40 ? rest.substring(0, 40) + "..." : rest;
    }
}
