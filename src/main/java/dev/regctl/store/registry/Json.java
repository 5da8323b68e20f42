package dev.regctl.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.RegctlException;
import java.io.IOException;
import okhttp3.Response;

/** Reads small JSON answers (lists, not blobs). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static JsonNode read(Response r, String what) {
        try {
            return MAPPER.readTree(r.body().byteStream());
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "cannot read the " + what + ": " + e.getMessage().lines().findFirst().orElse(""), null, e);
        }
    }
}
