package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regctl.RegctlException;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** How registry answers become kinds of failure, and how Link headers are read. */
class RegistryErrorsTest {
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
                LinkHeader.parse(here, "</v2/_catalog?last=b&n=2>; rel=\"next\"").toString());
        assertEquals("https://other.example/page2",
                LinkHeader.parse(here, "<https://other.example/page2>; rel=next").toString());
        assertEquals("https://r.example/p3", LinkHeader.parse(here, "</p1>; rel=\"prev\", </p3>; REL=\"next\"").toString());
        assertEquals(null, LinkHeader.parse(here, null));
        assertEquals(null, LinkHeader.parse(here, "</x>; rel=\"prev\""));
        assertEquals(null, LinkHeader.parse(here, "</x>; rel=\"nextpage\""));
    }

    @Test
    void aWalkRefusesLoopsAndOtherHosts() {
        HttpUrl first = HttpUrl.get("https://r.example/v2/t/tags/list");
        LinkHeader walk = new LinkHeader(first);
        HttpUrl second = walk.next(first, "</v2/t/tags/list?last=a>; rel=\"next\"");
        assertEquals("https://r.example/v2/t/tags/list?last=a", second.toString());
        RegctlException loop = org.junit.jupiter.api.Assertions.assertThrows(RegctlException.class,
                () -> walk.next(second, "</v2/t/tags/list?last=a>; rel=\"next\""));
        org.junit.jupiter.api.Assertions.assertTrue(loop.getMessage().contains("loops"), loop.getMessage());
        RegctlException away = org.junit.jupiter.api.Assertions.assertThrows(RegctlException.class,
                () -> new LinkHeader(first).next(first, "<https://evil.example/v2/t/tags/list?last=a>; rel=next"));
        org.junit.jupiter.api.Assertions.assertTrue(away.getMessage().contains("https://evil.example:443"), away.getMessage());
    }
}
