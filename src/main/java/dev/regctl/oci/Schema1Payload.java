package dev.regctl.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;

/**
 * The bytes a signed schema 1 manifest is identified by: its libtrust "pretty" JWS payload, which
 * is the document as signed, before the {@code signatures} were spliced in. Each signature's
 * protected header says how to cut it back out: keep the first {@code formatLength} bytes and
 * append the base64url {@code formatTail} (usually the closing {@code }}). Registries re-sign on
 * every GET, so the body changes while this payload, and so the digest, stays.
 */
final class Schema1Payload {

    private Schema1Payload() {
    }

    /**
     * The payload of a signed schema 1 manifest, or {@code document} itself when it carries no
     * {@code signatures} (an unsigned schema 1 manifest is hashed as it is).
     *
     * @throws RegctlException FAILURE when the signatures do not say where the payload is
     */
    public static byte[] of(byte[] document) {
        try {
            return of(document, Json.readTree(document));
        } catch (IOException e) {
            throw invalid("not valid JSON");
        }
    }

    static byte[] of(byte[] document, JsonNode tree) {
        JsonNode signatures = tree == null ? null : tree.get("signatures");
        if (signatures == null) {
            return document;
        }
        if (!signatures.isArray() || signatures.isEmpty()) {
            throw invalid("\"signatures\" is not a list of signatures");
        }
        Cut cut = null;
        for (int i = 0; i < signatures.size(); i++) {
            Cut c = cut(signatures.get(i), i, document.length);
            // libtrust refuses signatures that disagree about the payload; so does the digest.
            if (cut != null && !cut.equals(c)) {
                throw invalid("signatures 1 and " + (i + 1) + " disagree about where the payload ends");
            }
            cut = c;
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream(cut.length() + cut.tail().length);
        payload.write(document, 0, cut.length());
        payload.writeBytes(cut.tail());
        return payload.toByteArray();
    }

    /** Where one signature says the payload is: a prefix of the document and a tail to append. */
    private record Cut(int length, byte[] tail) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Cut c && c.length == length && java.util.Arrays.equals(c.tail, tail);
        }

        @Override
        public int hashCode() {
            return 31 * length + java.util.Arrays.hashCode(tail);
        }
    }

    private static Cut cut(JsonNode signature, int index, int documentLength) {
        String which = "signature " + (index + 1);
        JsonNode encoded = signature == null ? null : signature.get("protected");
        if (encoded == null || !encoded.isTextual()) {
            throw invalid(which + " has no protected header");
        }
        JsonNode header;
        byte[] tail;
        try {
            header = Json.readTree(Base64.getUrlDecoder().decode(encoded.asText()));
            JsonNode formatTail = header == null ? null : header.get("formatTail");
            if (formatTail == null || !formatTail.isTextual()) {
                throw invalid(which + ": the protected header has no formatTail");
            }
            tail = Base64.getUrlDecoder().decode(formatTail.asText());
        } catch (IllegalArgumentException | IOException e) {
            throw invalid(which + ": the protected header is not base64url-encoded JSON");
        }
        JsonNode formatLength = header.get("formatLength");
        if (formatLength == null || !formatLength.canConvertToInt() || !formatLength.isIntegralNumber()
                || formatLength.asInt() < 0 || formatLength.asInt() > documentLength) {
            throw invalid(which + ": formatLength is not a position within the " + documentLength + "-byte document");
        }
        return new Cut(formatLength.asInt(), tail);
    }

    private static RegctlException invalid(String why) {
        return new RegctlException(RegctlException.Kind.FAILURE, "signed schema 1 manifest: " + why,
                "the source serves a broken or altered manifest", null);
    }
}
