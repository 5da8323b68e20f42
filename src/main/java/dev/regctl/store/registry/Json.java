package dev.regctl.store.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Response;

/** Reads small JSON answers (lists, not blobs). */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    static ObjectMapper mapper() {
        return dev.regctl.Json.mapper();
    }

    static JsonNode read(Response r, String what) {
        try {
            return dev.regctl.Json.readTree(r.body().byteStream());
        } catch (IOException e) {
            throw unreadable(what, e);
        }
    }

    /**
     * The strings of the top-level array {@code field} ({@code {"tags":["a","b"]}}); empty when
     * the field is absent or null, as registries answer for a repository without tags.
     */
    static List<String> strings(Response r, String field, String what) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(r.body().byteStream())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals(field) || value == JsonToken.VALUE_NULL) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new IOException("\"" + field + "\" is not an array");
                }
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    out.add(p.getText());
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw new IOException("\"" + field + "\" holds something other than strings");
                }
            }
        } catch (IOException e) {
            throw unreadable(what, e);
        }
        return out;
    }

    private static RegctlException unreadable(String what, IOException e) {
        return new RegctlException(RegctlException.Kind.FAILURE,
                "cannot read the " + what + ": " + e.getMessage().lines().findFirst().orElse(""), null, e);
    }
}
