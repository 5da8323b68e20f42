package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** Pagination a hostile registry cannot turn into an endless or misdirected walk. */
class LinkHeaderTest {

    @Test
    void aListingThatNeverEndsIsCutOffAtTheBound() {
        HttpUrl page = HttpUrl.get("https://r.example/v2/app/tags/list");
        LinkHeader walk = new LinkHeader(page);
        for (int n = 1; n < LinkHeader.MAX_PAGES; n++) {
            page = walk.next(page, "</v2/app/tags/list?last=t" + n + ">; rel=\"next\"");
        }
        HttpUrl last = page;
        RegctlException e = assertThrows(RegctlException.class,
                () -> walk.next(last, "</v2/app/tags/list?last=more>; rel=\"next\""));
        assertTrue(e.getMessage().contains("past " + LinkHeader.MAX_PAGES + " pages"), e.getMessage());
    }

    @Test
    void aNextPageOnTheSameHostButAnotherPortIsRefused() {
        HttpUrl first = HttpUrl.get("https://r.example/v2/t/tags/list");
        RegctlException e = assertThrows(RegctlException.class,
                () -> new LinkHeader(first).next(first, "<https://r.example:8443/v2/t/tags/list?last=a>; rel=next"));
        assertTrue(e.getMessage().contains("https://r.example:8443"), e.getMessage());
    }

    @Test
    void aNextPageOverPlainHttpIsRefused() {
        HttpUrl first = HttpUrl.get("https://r.example/v2/t/tags/list");
        assertThrows(RegctlException.class,
                () -> new LinkHeader(first).next(first, "<http://r.example/v2/t/tags/list?last=a>; rel=next"));
    }
}
