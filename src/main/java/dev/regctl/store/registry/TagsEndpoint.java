package dev.regctl.store.registry;

import dev.regctl.auth.Scope;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/** {@code GET /v2/<name>/tags/list}, following every {@code Link} page. */
final class TagsEndpoint {
    private static final int PAGE = 1000;

    private final RegistryClient client;
    private final String repository;

    TagsEndpoint(RegistryClient client, String repository) {
        this.client = client;
        this.repository = repository;
    }

    List<String> list() {
        List<String> out = new ArrayList<>();
        HttpUrl url = client.url(repository, "tags", "list").newBuilder()
                .addQueryParameter("n", String.valueOf(PAGE)).build();
        LinkHeader pages = new LinkHeader(url);
        while (url != null) {
            try (Response r = client.execute(new Request.Builder().url(url),
                    List.of(Scope.repository(repository, "pull")), "list tags of " + repository)) {
                // Listed as served (text output escapes them); a tag that is not one never reaches a URL.
                out.addAll(Json.strings(r, "tags", "tag list of " + repository));
                url = pages.next(url, r.header("Link"));
            }
        }
        return out;
    }
}
