package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import java.util.List;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

/** The streaming read of tag and repository lists. */
class JsonTest {
    private static Response answer(String body) {
        return new Response.Builder().request(new Request.Builder().url("http://registry.test/v2/").build())
                .protocol(Protocol.HTTP_1_1).code(200).message("OK").body(ResponseBody.create(body, null)).build();
    }

    private static List<String> tags(String body) {
        return Json.strings(answer(body), "tags", "tag list");
    }

    @Test
    void readsTheNamedArrayAndSkipsEverythingElse() {
        assertEquals(List.of("v1", "v2"), tags("{\"name\":\"a/b\",\"extra\":{\"tags\":[\"no\"],\"n\":[1,{}]},\"tags\":[\"v1\",\"v2\"]}"));
    }

    @Test
    void aRepositoryWithoutTagsAnswersNullOrNothing() {
        assertEquals(List.of(), tags("{\"name\":\"a/b\",\"tags\":null}"));
        assertEquals(List.of(), tags("{\"name\":\"a/b\"}"));
        assertEquals(List.of(), tags("{\"tags\":[]}"));
    }

    @Test
    void somethingElseIsAClearError() {
        RegctlException notObject = assertThrows(RegctlException.class, () -> tags("[\"v1\"]"));
        assertEquals("cannot read the tag list: not a JSON object", notObject.getMessage());
        RegctlException numbers = assertThrows(RegctlException.class, () -> tags("{\"tags\":[\"v1\",2]}"));
        assertEquals("cannot read the tag list: \"tags\" holds something other than strings", numbers.getMessage());
        RegctlException html = assertThrows(RegctlException.class, () -> tags("<html>"));
        assertEquals(true, html.getMessage().startsWith("cannot read the tag list: Unexpected character ('<'"), html.getMessage());
    }
}
