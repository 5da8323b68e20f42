package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regctl.RegctlException;
import okhttp3.HttpUrl;
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
    void kindsFollowCodeThenStatus() {
        assertEquals(RegctlException.Kind.NOT_FOUND, RegistryException.kindOf(400, "NAME_UNKNOWN"));
        assertEquals(RegctlException.Kind.AUTH, RegistryException.kindOf(400, "DENIED"));
        assertEquals(RegctlException.Kind.UNSUPPORTED, RegistryException.kindOf(400, "UNSUPPORTED"));
        assertEquals(RegctlException.Kind.AUTH, RegistryException.kindOf(403, null));
        assertEquals(RegctlException.Kind.UNSUPPORTED, RegistryException.kindOf(405, null));
        assertEquals(RegctlException.Kind.FAILURE, RegistryException.kindOf(500, "UNKNOWN"));
    }

    @Test
    void linkHeaderNextIsResolvedAgainstTheCurrentPage() {
        HttpUrl here = HttpUrl.get("https://r.example/v2/_catalog?n=2");
        assertEquals("https://r.example/v2/_catalog?last=b&n=2",
                LinkHeader.next(here, "</v2/_catalog?last=b&n=2>; rel=\"next\"").toString());
        assertEquals("https://other.example/page2",
                LinkHeader.next(here, "<https://other.example/page2>; rel=next").toString());
        assertEquals(null, LinkHeader.next(here, null));
        assertEquals(null, LinkHeader.next(here, "</x>; rel=\"prev\""));
    }
}
