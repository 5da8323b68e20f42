package dev.regctl.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Reading the JSON credential files regctl honours: docker's {@code config.json} and the
 * containers {@code auth.json}, which share the {@code auths} format.
 */
final class AuthFile {
    private AuthFile() {
    }

    /**
     * The file's top-level object; empty when the file is missing (no config is not an error).
     * An empty file counts as {@code {}}, as docker treats it.
     *
     * @throws RegctlException FAILURE when the file is there but cannot be read, USAGE when it is
     *                         not a JSON object: going on without it would end in a 401 that
     *                         sends the user to log in again, and docker refuses it too
     */
    static Optional<ObjectNode> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        return Optional.of(parse(file, bytes));
    }

    /** The error for a credential file that is there but cannot be read. */
    static RegctlException unreadable(Path file, IOException e) {
        String why;
        if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (Files.isDirectory(file)) {
            why = "is a directory";
        } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
            why = fs.getReason();
        } else {
            why = String.valueOf(e.getMessage());
        }
        return new RegctlException(RegctlException.Kind.FAILURE, "cannot read " + file + ": " + why, hint(file), e);
    }

    private static String hint(Path file) {
        return "make " + file + " a readable JSON object, or move it away (docker refuses it too)";
    }

    /** Parses the bytes of {@code file}; {@code file} only names it in messages. */
    static ObjectNode parse(Path file, byte[] bytes) {
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return Json.objectNode();
        }
        JsonNode root;
        try {
            root = Json.readTree(bytes);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending text, which may be part of a secret.
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw malformed(file, "invalid JSON" + where);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (root == null || !root.isObject()) {
            throw malformed(file, "expected a JSON object");
        }
        return (ObjectNode) root;
    }

    /** Bad input, so USAGE by docs/commands.md's exit codes; never quotes the content, which may hold a secret. */
    private static RegctlException malformed(Path file, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, "cannot read " + file + ": " + why, hint(file), null);
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
