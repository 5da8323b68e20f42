package dev.regctl.store.registry;

import dev.regctl.RegctlException;
import dev.regctl.auth.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/** {@code GET /v2/_catalog}, following every {@code Link} page. */
final class CatalogEndpoint {
    private static final int PAGE = 1000;

    private final RegistryClient client;

    CatalogEndpoint(RegistryClient client) {
        this.client = client;
    }

    /** Repositories that pass {@code keep}, at most {@code limit} of them (0 = all). */
    List<String> list(Predicate<String> keep, int limit) {
        List<String> out = new ArrayList<>();
        HttpUrl url = client.catalogUrl().newBuilder().addQueryParameter("n", String.valueOf(PAGE)).build();
        LinkHeader pages = new LinkHeader(url);
        while (url != null) {
            try (Response r = client.execute(new Request.Builder().url(url), List.of(Scope.catalog()),
                    "list repositories", 400, 404, 405)) {
                if (r.code() == 400 && url.queryParameter("n") != null) {
                    // distribution refuses an n above its catalog.maxentries (PAGINATION_NUMBER_INVALID)
                    // instead of capping it; its own default page size is always acceptable.
                    url = url.newBuilder().removeAllQueryParameters("n").build();
                    continue;
                }
                if (r.code() == 400) {
                    throw client.error("list repositories", r);
                }
                if (r.code() == 404 || r.code() == 405) {
                    throw new RegctlException(RegctlException.Kind.UNSUPPORTED,
                            "list repositories: " + client.registry() + " does not offer a catalog (/v2/_catalog answered "
                                    + r.code() + ")",
                            "use 'regctl tags REPO' with a repository name you know", null);
                }
                List<String> repos = Json.strings(r, "repositories", "catalog of " + client.registry());
                if (repos.isEmpty()) {
                    // A full last page still carries a Link to an empty one.
                    break;
                }
                for (String name : repos) {
                    if (keep.test(name)) {
                        out.add(name);
                        if (limit > 0 && out.size() >= limit) {
                            return out;
                        }
                    }
                }
                url = pages.next(url, r.header("Link"));
            }
        }
        return out;
    }
}
