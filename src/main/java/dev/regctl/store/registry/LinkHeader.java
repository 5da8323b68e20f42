package dev.regctl.store.registry;

import dev.regctl.RegctlException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Follows RFC 5988 {@code Link: <url>; rel="next"} pagination as the distribution spec uses it,
 * one walk per listing: a next page on another host or downgraded to plain HTTP (either would
 * receive the registry's credentials) or one already visited (a loop that would never end) stops
 * the walk with an error.
 */
final class LinkHeader {
    private static final Pattern NEXT = Pattern.compile(
            "<([^>]*)>\\s*;[^,]*?\\brel\\s*=\\s*\"?next\"?(?=\\s*(?:[;,]|$))", Pattern.CASE_INSENSITIVE);

    private final HttpUrl first;
    private final Set<HttpUrl> seen = new HashSet<>();

    /** A walk that starts at {@code first}. */
    LinkHeader(HttpUrl first) {
        this.first = first;
        seen.add(first);
    }

    /** The page after {@code current}, from its {@code Link} header, or null on the last page. */
    HttpUrl next(HttpUrl current, String linkHeader) {
        HttpUrl next = parse(current, linkHeader);
        if (next == null) {
            return null;
        }
        if (!next.host().equals(first.host()) || (first.isHttps() && !next.isHttps())) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "the registry's next-page link points to "
                    + (next.host().equals(first.host()) ? "plain HTTP" : "another host (" + next.host() + ")")
                    + "; refusing to follow it with the registry's credentials");
        }
        if (!seen.add(next)) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "the registry's pagination loops back to a page already read (" + next.encodedPath() + "?"
                            + next.encodedQuery() + ")");
        }
        return next;
    }

    /** The next page's URL resolved against the current one, or null when there is none. */
    static HttpUrl parse(HttpUrl current, String linkHeader) {
        if (linkHeader == null) {
            return null;
        }
        Matcher m = NEXT.matcher(linkHeader);
        return m.find() ? current.resolve(m.group(1)) : null;
    }
}
