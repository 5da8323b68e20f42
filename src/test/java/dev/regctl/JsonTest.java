package dev.regctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    /** Documents whose trees the streaming reader must build exactly as the mapper does. */
    private static final List<String> DOCUMENTS = List.of(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
            "{\"a\":1.50,\"b\":-0.0,\"c\":1e3,\"d\":12345678901,\"e\":123456789012345678901234567890}",
            "{\"nested\":{\"list\":[1,\"two\",true,false,null,{\"x\":[]}]},\"empty\":{}}",
            "{\"dup\":1,\"dup\":2}",
            "[\"a\",[\"b\",[\"c\"]]]",
            "\"just a string\"",
            "null",
            "  ");

    @Test
    void buildsTheSameTreeAsTheMapper() throws IOException {
        for (String doc : DOCUMENTS) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            assertEquals(Json.mapper().readTree(bytes), Json.readTree(bytes), doc);
            assertEquals(Json.mapper().readTree(doc), Json.readTree(new ByteArrayInputStream(bytes)), doc);
            assertEquals(Json.mapper().readTree(doc), Json.readTree(doc), doc);
        }
    }

    @Test
    void keepsDecimalsAsWritten() throws IOException {
        // A user's config.json is rewritten from this tree: 1.50 must stay 1.50.
        assertEquals("{\"n\":1.50}", Json.mapper().writeValueAsString(Json.readTree("{\"n\":1.50}")));
        // Even beyond a double's range.
        assertEquals("{\"n\":1E+400}", Json.mapper().writeValueAsString(Json.readTree("{\"n\":1e400}")));
    }

    @Test
    void refusesWhatTheMapperRefuses() {
        for (String bad : List.of("{\"a\":1} {\"b\":2}", "{\"a\":", "{\"a\" 1}", "[1,]x", "{]")) {
            // A parse error, with its location, as the mapper's: callers tell bad JSON from a failed read by it.
            assertThrows(JsonProcessingException.class, () -> Json.readTree(bad), bad);
            assertThrows(IOException.class, () -> Json.mapper().readTree(bad), bad);
        }
    }

    @Test
    void boundsNestingInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IOException e = assertThrows(IOException.class, () -> Json.readTree(deep));
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
    }
}
