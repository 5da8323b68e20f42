package dev.regctl.store.registry;

import dev.regctl.RegctlException;
import dev.regctl.http.Origin;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Follows RFC 5988 {@code Link: <url>; rel="next"} pagination as the distribution spec uses it,
 * one walk per listing: a next page on another origin (another scheme, host or port, which the
 * registry's credentials must not reach), one already visited (a loop), or more pages than any
 * registry needs (a listing that never ends) stops the walk with an error.
 */
final class LinkHeader {
    private static final Pattern NEXT = Pattern.compile(
            "<([^>]*)>\\s*;[^,]*?\\brel\\s*=\\s*\"?next\"?(?=\\s*(?:[;,]|$))", Pattern.CASE_INSENSITIVE);

    /** 10,000 pages of the usual 100 to 1,000 entries: far beyond any real repository or catalog. */
    static final int MAX_PAGES = 10_000;

    private final Origin origin;
    private final Set<HttpUrl> seen = new HashSet<>();

    /** A walk that starts at {@code first}. */
    LinkHeader(HttpUrl first) {
        this.origin = Origin.of(first);
        seen.add(first);
    }

    /** The page after {@code current}, from its {@code Link} header, or null on the last page. */
    HttpUrl next(HttpUrl current, String linkHeader) {
        HttpUrl next = parse(current, linkHeader);
        if (next == null) {
            return null;
        }
        if (!origin.owns(next)) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "the registry's next-page link points to "
                    + Origin.of(next) + ", not to " + origin + "; refusing to follow it with the registry's credentials");
        }
        if (seen.size() >= MAX_PAGES) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "the registry's listing goes on past " + MAX_PAGES + " pages; refusing to read further");
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
