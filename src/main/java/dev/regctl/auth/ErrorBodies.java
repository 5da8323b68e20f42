package dev.regctl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an error answer from a token server into the words to show the user. Servers disagree
 * on the shape: the distribution spec's {@code errors[].message} (GitLab, Quay, ACR, GCR,
 * Artifactory), OAuth2's {@code error}/{@code error_description}, Docker Hub's {@code details},
 * or plain text; Harbor sends nothing at all.
 */
final class ErrorBodies {
    private static final int MAX = 300;

    private ErrorBodies() {
    }

    /** One line describing the failure, with every given secret masked. */
    static String describe(int code, String body, String... secrets) {
        String detail = fromJson(body);
        if (detail == null) {
            detail = body;
        }
        detail = Redaction.oneLine(Redaction.redact(detail, secrets), MAX);
        return detail.isEmpty() ? "HTTP " + code : detail;
    }

    private static String fromJson(String body) {
        JsonNode json;
        try {
            json = AuthFile.JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (json == null || !json.isObject()) {
            return null;
        }
        JsonNode errors = json.get("errors");
        if (errors != null && errors.isArray() && !errors.isEmpty()) {
            List<String> messages = new ArrayList<>();
            for (JsonNode e : errors) {
                String m = AuthFile.text(e, "message");
                messages.add(m.isEmpty() ? AuthFile.text(e, "code") : m);
            }
            return String.join("; ", messages);
        }
        String error = AuthFile.text(json, "error");
        String description = AuthFile.text(json, "error_description");
        if (!error.isEmpty() && !description.isEmpty()) {
            return error + ": " + description;
        }
        for (String field : List.of("error_description", "error", "details", "detail", "message")) {
            String text = AuthFile.text(json, field);
            if (!text.isEmpty()) {
                return text;
            }
        }
        return null;
    }
}
