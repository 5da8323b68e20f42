package dev.regctl.ops.append;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.regctl.Json;
import dev.regctl.RegctlException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON array of strings typed on the command line ({@code --entrypoint '["/app","-v"]'}). A
 * mistake is reported by where it is, counted in characters of what was typed, and in the
 * user's words rather than the parser's.
 */
final class JsonWords {

    private JsonWords() {
    }

    /** The strings of {@code json}, which starts with {@code [} after {@code offset} characters of blanks. */
    static List<String> parse(String option, String json, int offset) {
        List<String> words = new ArrayList<>();
        try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
            p.nextToken();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_STRING) {
                    throw refused(option, "element " + (words.size() + 1) + ", at character "
                            + at(p.currentTokenLocation(), offset) + ", is " + kind(t) + ", not a string");
                }
                words.add(p.getText());
            }
            int rest = (int) p.currentTokenLocation().getCharOffset() + 1;
            while (rest < json.length() && Character.isWhitespace(json.charAt(rest))) {
                rest++;
            }
            if (rest < json.length()) {
                throw refused(option, "text after the closing ], at character " + (rest + offset + 1));
            }
            return words;
        } catch (JsonEOFException e) {
            throw refused(option, "it ends before the array is closed with ]");
        } catch (JsonProcessingException e) {
            int where = at(e.getLocation(), offset);
            int index = where - 1 - offset;
            String found = index >= 0 && index < json.length() ? " (\"" + json.charAt(index) + "\")" : "";
            throw refused(option, "invalid JSON at character " + where + found);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    /** One-based position in the option's value. */
    private static int at(JsonLocation location, int offset) {
        return location == null ? offset + 1 : (int) location.getCharOffset() + offset + 1;
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "a number";
        };
    }

    private static RegctlException refused(String option, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, option + ": not a JSON array of strings: " + why,
                "give a JSON array like '[\"/app\",\"--flag\"]', or plain words", null);
    }
}
