package dev.regctl.auth;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process's Bearer tokens, keyed by the registry they were fetched for, the credential used,
 * the token endpoint, service and scopes: a token is only ever handed back for the registry that
 * asked for it. Parallel requests that need the same token wait for one fetch instead of each
 * asking the endpoint.
 */
final class TokenCache {

    /** Whose token it is and what it is good for; scopes are sorted so the same set always makes the same key. */
    record Key(RealmAccount account, List<String> scopes) {
        Key {
            scopes = scopes.stream().sorted().toList();
        }
    }

    /** Fetches a token; empty when the endpoint refused an anonymous client. */
    interface Fetch {
        Optional<BearerToken> get() throws IOException;
    }

    private final Clock clock;
    private final Map<Key, BearerToken> tokens = new ConcurrentHashMap<>();
    private final Map<Key, Object> locks = new ConcurrentHashMap<>();

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    /**
     * A usable cached token for {@code key}, else the result of {@code fetch}, run by one caller
     * at a time per key. A fetched token is handed to its caller even if the local clock already
     * thinks it expired (clock skew), but is only reused while it is usable.
     */
    Optional<BearerToken> get(Key key, Fetch fetch) throws IOException {
        BearerToken cached = tokens.get(key);
        if (cached != null && cached.usableAt(clock.instant())) {
            return Optional.of(cached);
        }
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            cached = tokens.get(key);
            if (cached != null && cached.usableAt(clock.instant())) {
                return Optional.of(cached);
            }
            Optional<BearerToken> fresh = fetch.get();
            fresh.ifPresentOrElse(t -> tokens.put(key, t), () -> tokens.remove(key));
            return fresh;
        }
    }

    /** Forgets {@code token} for {@code key} unless another caller has already replaced it. */
    void invalidate(Key key, BearerToken token) {
        tokens.remove(key, token);
    }
}
