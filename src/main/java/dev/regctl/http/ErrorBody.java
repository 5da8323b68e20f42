package dev.regctl.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a registry or a token server said when it refused: the one decoder of error bodies. The
 * distribution spec's {@code {"errors":[{"code","message"}]}} (registries, and the token servers
 * of GitLab, Quay, ACR, GCR and Artifactory), OAuth2's {@code error}/{@code error_description},
 * Docker Hub's {@code details}, a bare {@code message}, plain text, or nothing useful (an HTML
 * page, Harbor's empty body), which leaves the status.
 *
 * @param code  the first distribution error code, or null
 * @param text  a one-line summary with the codes, never empty: what a registry's refusal shows
 * @param words the messages alone, never empty: what a token server's refusal shows after
 *              "authentication failed", where the code would only say it again
 */
public record ErrorBody(String code, String text, String words) {
    private static final int MAX_TEXT = 300;

    /** Decodes {@code body} of an answer with {@code status} and {@code reason} (the reason may be null). */
    public static ErrorBody parse(int status, String reason, String body) {
        String trimmed = body == null ? "" : body.trim();
        if (trimmed.startsWith("{")) {
            try {
                ErrorBody decoded = fromJson(Json.readTree(trimmed));
                if (decoded != null) {
                    return decoded;
                }
            } catch (IOException ignored) {
                // Not JSON after all: fall through to the plain-text rendering.
            }
        }
        if (!trimmed.isEmpty() && !trimmed.startsWith("<")) {
            return plain(oneLine(trimmed));
        }
        return new ErrorBody(null, status + (reason == null || reason.isEmpty() ? "" : " " + reason), "HTTP " + status);
    }

    private static ErrorBody fromJson(JsonNode root) {
        JsonNode errors = root.path("errors");
        if (errors.isArray() && errors.size() > 0) {
            List<String> parts = new ArrayList<>();
            List<String> messages = new ArrayList<>();
            for (JsonNode e : errors) {
                String code = e.path("code").asText("");
                String message = e.path("message").asText("");
                parts.add(code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message);
                messages.add(message.isEmpty() ? code : message);
            }
            String first = errors.get(0).path("code").asText(null);
            return new ErrorBody(first == null || first.isEmpty() ? null : first, oneLine(String.join("; ", parts)),
                    oneLine(String.join("; ", messages)));
        }
        String error = root.path("error").asText("");
        String description = root.path("error_description").asText("");
        if (!error.isEmpty() && !description.isEmpty()) {
            return plain(oneLine(error + ": " + description));
        }
        for (String field : List.of("message", "error_description", "error", "details", "detail")) {
            if (root.path(field).isTextual() && !root.path(field).asText().isBlank()) {
                return plain(oneLine(root.path(field).asText()));
            }
        }
        return null;
    }

    private static ErrorBody plain(String text) {
        return new ErrorBody(null, text, text);
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").trim();
        return flat.length() > MAX_TEXT ? flat.substring(0, MAX_TEXT) + "…" : flat;
    }
}
