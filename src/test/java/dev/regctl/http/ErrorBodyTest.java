package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorBodyTest {
    @Test
    void distributionErrorsAreJoined() {
        ErrorBody b = ErrorBody.parse(401, "Unauthorized",
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"},{\"code\":\"DENIED\",\"message\":\"no\"}]}");
        assertEquals("UNAUTHORIZED", b.code());
        assertEquals("UNAUTHORIZED: authentication required; DENIED: no", b.text());
    }

    @Test
    void otherShapesAreReadable() {
        assertEquals("quota exceeded", ErrorBody.parse(429, "", "{\"message\":\"quota exceeded\"}").text());
        assertEquals("invalid_grant", ErrorBody.parse(400, "", "{\"error\":\"invalid_grant\"}").text());
        assertEquals("upstream down", ErrorBody.parse(502, "", "upstream\n  down").text());
        assertEquals("502 Bad Gateway", ErrorBody.parse(502, "Bad Gateway", "<html><body>nginx</body></html>").text());
        assertEquals("500", ErrorBody.parse(500, "", "").text());
    }

    @Test
    void tokenServerShapesAreReadableToo() {
        assertEquals("invalid_grant: bad password",
                ErrorBody.parse(400, null, "{\"error\":\"invalid_grant\",\"error_description\":\"bad password\"}").text());
        assertEquals("incorrect authentication credentials",
                ErrorBody.parse(401, null, "{\"details\":\"incorrect authentication credentials\"}").text());
        assertEquals("401", ErrorBody.parse(401, null, "").text(), "Harbor says nothing");
    }
}
