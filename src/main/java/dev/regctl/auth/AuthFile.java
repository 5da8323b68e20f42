package dev.regctl.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Reading the JSON credential files regctl honours: docker's {@code config.json} and the
 * containers {@code auth.json}, which share the {@code auths} format.
 */
final class AuthFile {
    /** Decimals kept as written, so rewriting a file never changes a number in it. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private AuthFile() {
    }

    /**
     * The file's top-level object; empty when the file is missing or cannot be read (no config
     * is not an error). An empty file counts as {@code {}}, as docker treats it.
     *
     * @throws RegctlException USAGE when the file is there but is not a JSON object
     */
    static Optional<ObjectNode> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(parse(file, bytes));
    }

    /** Parses the bytes of {@code file}; {@code file} only names it in messages. */
    static ObjectNode parse(Path file, byte[] bytes) {
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending text, which may be part of a secret.
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new RegctlException(RegctlException.Kind.USAGE, "cannot read " + file + ": invalid JSON" + where);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "cannot read " + file + ": expected a JSON object");
        }
        return (ObjectNode) root;
    }

    /**
     * The credential in one {@code auths} entry: {@code identitytoken} first (the username then
     * comes from {@code auth} or {@code username}), else {@code auth} as base64 {@code user:pass},
     * else the {@code username}/{@code password} fields. Empty when the entry holds none, which
     * is how docker marks registries whose secret lives in a helper.
     */
    static Optional<Credential> credential(Path file, String key, JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            return Optional.empty();
        }
        String username = text(entry, "username");
        String password = text(entry, "password");
        String auth = text(entry, "auth");
        if (!auth.isEmpty()) {
            String decoded = decode(file, key, auth);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new RegctlException(RegctlException.Kind.USAGE,
                        "cannot read " + file + ": auths[\"" + key + "\"].auth is not base64 of user:password");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        String identityToken = text(entry, "identitytoken");
        if (!identityToken.isEmpty()) {
            return Optional.of(new Credential.IdentityToken(username, identityToken));
        }
        if (username.isEmpty() && password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Credential.Basic(username, password));
    }

    private static String decode(Path file, String key, String auth) {
        try {
            return new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RegctlException(RegctlException.Kind.USAGE,
                    "cannot read " + file + ": auths[\"" + key + "\"].auth is not valid base64");
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : "";
    }
}
