package dev.regctl.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the distribution spec's error body {@code {"errors":[{"code","message","detail"}]}},
 * tolerating the shapes real registries send instead (plain text, {@code {"message"}},
 * {@code {"error"}}, HTML pages).
 *
 * @param code the first error code, or null
 * @param text a one-line human summary, never empty
 */
record ErrorBody(String code, String text) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 300;

    static ErrorBody parse(int status, String reason, String body) {
        String trimmed = body == null ? "" : body.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode root = JSON.readTree(trimmed);
                JsonNode errors = root.path("errors");
                if (errors.isArray() && errors.size() > 0) {
                    List<String> parts = new ArrayList<>();
                    for (JsonNode e : errors) {
                        String code = e.path("code").asText("");
                        String message = e.path("message").asText("");
                        parts.add(code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message);
                    }
                    String first = errors.get(0).path("code").asText(null);
                    return new ErrorBody(first == null || first.isEmpty() ? null : first, oneLine(String.join("; ", parts)));
                }
                for (String field : new String[] {"message", "error_description", "error", "detail"}) {
                    if (root.path(field).isTextual()) {
                        return new ErrorBody(null, oneLine(root.path(field).asText()));
                    }
                }
            } catch (IOException ignored) {
                // Not JSON after all: fall through to the plain-text rendering.
            }
        }
        if (!trimmed.isEmpty() && !trimmed.startsWith("<")) {
            return new ErrorBody(null, oneLine(trimmed));
        }
        return new ErrorBody(null, status + (reason == null || reason.isEmpty() ? "" : " " + reason));
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").trim();
        return flat.length() > MAX_TEXT ? flat.substring(0, MAX_TEXT) + "…" : flat;
    }
}
