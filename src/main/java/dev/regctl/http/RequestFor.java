package dev.regctl.http;

import java.util.Objects;

/**
 * The registry a request is made for, whichever host it reaches: its API, its token realm, a
 * redirect to its blob storage. Attach it with {@code Request.Builder.tag(RequestFor.class, ...)};
 * TLS trust and client certificates are chosen by it, and tokens are kept apart by it. The name is
 * the normalised registry name credentials are looked up by ({@code docker.io}).
 */
public record RequestFor(String registry) {
    public RequestFor {
        Objects.requireNonNull(registry, "registry");
    }
}
