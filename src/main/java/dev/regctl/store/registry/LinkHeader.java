package dev.regctl.store.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/** Follows RFC 5988 {@code Link: <url>; rel="next"} pagination as the distribution spec uses it. */
final class LinkHeader {
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");

    private LinkHeader() {
    }

    /** The next page's URL resolved against the current one, or null on the last page. */
    static HttpUrl next(HttpUrl current, String linkHeader) {
        if (linkHeader == null) {
            return null;
        }
        Matcher m = NEXT.matcher(linkHeader);
        return m.find() ? current.resolve(m.group(1)) : null;
    }
}
