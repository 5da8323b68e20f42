package dev.regctl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * JSON for the whole program: documents read as trees by {@link #readTree}, and the one
 * ObjectMapper of a run for binding records and writing, made on first use.
 */
public final class Json {

    /**
     * Decimals kept as written, so rewriting a user's config.json never changes a number in it;
     * the same node factory the mapper uses.
     */
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    private static final class Holder {
        /**
         * Unknown fields ignored (manifests and configs carry more than regctl reads), trailing
         * tokens refused, and decimals kept as written.
         */
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .nodeFactory(NODES)
                .build();
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /** An empty object node, made as {@link #readTree} makes them, without setting up the mapper. */
    public static ObjectNode objectNode() {
        return NODES.objectNode();
    }

    /**
     * A document as a tree, read as {@link #mapper()} would read it (empty input: a missing
     * node; trailing tokens refused; later duplicate keys win), but with the streaming parser
     * alone: setting up an ObjectMapper costs a short command more than its request does, and
     * most commands only need a tree (a manifest's media type, an error body, a token).
     */
    public static JsonNode readTree(byte[] bytes) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            return readDocument(p);
        }
    }

    /** {@link #readTree(byte[])} from a stream, which the caller closes. */
    public static JsonNode readTree(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            return readDocument(p);
        }
    }

    /** {@link #readTree(byte[])} of a string. */
    public static JsonNode readTree(String text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return readDocument(p);
        }
    }

    /**
     * {@link #readTree(byte[])} of what {@code p} reads (another format's parser, such as TOML's),
     * which the caller closes.
     */
    public static JsonNode readTree(JsonParser p) throws IOException {
        return readDocument(p);
    }

    private static JsonNode readDocument(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return MissingNode.getInstance();
        }
        JsonNode root = value(p, first);
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw new JsonParseException(p, "trailing token " + trailing + " after the document");
        }
        return root;
    }

    /** The value starting at {@code token}; nesting is bounded by the parser's own depth limit. */
    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    object.set(name, value(p, p.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                // Another format's parser may hold a float no decimal can (TOML's inf and nan).
                return p.isNaN() ? NODES.numberNode(p.getDoubleValue()) : NODES.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new JsonParseException(p, "unexpected " + token);
        }
    }
}
