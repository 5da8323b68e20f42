package dev.regctl.ops.sync;

import dev.regctl.auth.Scope;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Reference;
import dev.regctl.ops.Session;
import dev.regctl.store.registry.RegistryClient;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Asks a registry for its pull limit without spending a pull: a {@code HEAD} of a manifest,
 * whose answer carries the {@code ratelimit-*} headers where the registry sends them.
 */
public final class RateLimits {
    private RateLimits() {
    }

    /** The limit the registry reports for {@code ref}, or empty when it reports none. */
    public static Optional<RateLimit> probe(Session session, Reference ref) {
        RegistryClient client = session.registry(ref.registry(), ref.apiHost());
        HttpUrl url = client.url().newBuilder().addPathSegments(ref.repository()).addPathSegment("manifests")
                .addPathSegment(ref.lookup()).build();
        Request.Builder head = new Request.Builder().url(url).head().header("Accept", String.join(", ", MediaTypes.MANIFESTS));
        // 404 and 429 answers carry the headers too: a missing tag or a spent limit still says how many are left.
        try (Response r = client.execute(head, List.of(Scope.repository(ref.repository(), "pull")),
                "check the rate limit of " + ref, 404, 429)) {
            return RateLimit.of(r::header);
        }
    }
}
