package dev.regctl.auth;

import dev.regctl.RegctlException;
import dev.regctl.http.Loopback;
import dev.regctl.http.Origin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Authenticates requests tagged with an {@link AuthTarget} against the registry's
 * {@code WWW-Authenticate} challenge: Basic, or Bearer tokens from the registry's token server.
 * The challenge is remembered per registry so later requests authenticate up front, tokens are
 * cached for the process, and a refused request is retried once; a second 401 is returned to the
 * caller unchanged so it can show the registry's own error. Untagged requests pass through.
 */
public final class RegistryAuthInterceptor implements Interceptor {
    private final BiFunction<String, String, Credential> credentials;
    private final TokenEndpoint tokenEndpoint;
    private final TokenCache tokens;
    private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();
    /** By registry and repository: a repository may have a credential of its own (podman's per-repository keys). */
    private final Map<List<String>, Credential> resolved = new ConcurrentHashMap<>();

    /**
     * @param credentials the credential for a registry name, e.g. {@code CredentialResolver::resolve};
     *                    asked at most once per registry, and only when the registry asks
     * @param tokenClient the client for token requests: the shared one without this interceptor
     */
    public RegistryAuthInterceptor(Function<String, Credential> credentials, Call.Factory tokenClient) {
        this(credentials, tokenClient, Clock.systemUTC());
    }

    /**
     * @param credentials the credential for a registry and a repository on it (null: the registry
     *                    as a whole), e.g. {@code CredentialResolver::resolve}; asked at most once
     *                    per repository, and only when the registry asks
     */
    public RegistryAuthInterceptor(BiFunction<String, String, Credential> credentials, Call.Factory tokenClient) {
        this(credentials, tokenClient, Clock.systemUTC());
    }

    RegistryAuthInterceptor(Function<String, Credential> credentials, Call.Factory tokenClient, Clock clock) {
        this((registry, repository) -> credentials.apply(registry), tokenClient, clock);
    }

    RegistryAuthInterceptor(BiFunction<String, String, Credential> credentials, Call.Factory tokenClient, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.tokenEndpoint = new TokenEndpoint(Objects.requireNonNull(tokenClient, "tokenClient"), clock);
        this.tokens = new TokenCache(clock);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        AuthTarget target = request.tag(AuthTarget.class);
        if (target == null || request.header("Authorization") != null) {
            return chain.proceed(request);
        }
        Challenge known = challenges.get(target.registry());
        Authorization first = known == null ? Authorization.NONE : authorize(request, target, known, null);
        Response response = chain.proceed(first.apply(request));
        if (response.code() != 401 || !Origin.of(request.url()).owns(response.request().url())) {
            return response;
        }
        Challenge challenge = choose(Challenge.parse(response.headers("WWW-Authenticate")));
        if (challenge == null) {
            return response;
        }
        challenges.put(target.registry(), challenge);
        if (request.body() != null && request.body().isOneShot()) {
            return response; // the body is gone; callers avoid this by authenticating with a HEAD/GET first
        }
        if (first.token != null && !"insufficient_scope".equals(challenge.error())) {
            tokens.invalidate(first.key, first.token); // refused for itself, not for missing scope
        }
        Authorization retry;
        try {
            retry = authorize(request, target, challenge, challenge.scope());
        } catch (IOException | RuntimeException e) {
            response.close(); // the caller never sees this 401, so nobody else would free its connection
            throw e;
        }
        if (retry == Authorization.NONE || (retry.token == null && retry.header.equals(first.header))) {
            return response;
        }
        response.close();
        return chain.proceed(retry.apply(request));
    }

    /** Bearer when offered (the registry's preferred way), else Basic; other schemes are not spoken. */
    private static Challenge choose(List<Challenge> offered) {
        for (Challenge c : offered) {
            if (c.is("bearer") && c.realm() != null) {
                return c;
            }
        }
        for (Challenge c : offered) {
            if (c.is("basic")) {
                return c;
            }
        }
        return null;
    }

    private Authorization authorize(Request request, AuthTarget target, Challenge challenge, String extraScope)
            throws IOException {
        Credential credential = credentialFor(target);
        if (challenge.is("basic")) {
            if (credential instanceof Credential.Basic b) {
                return new Authorization(okhttp3.Credentials.basic(b.username(), b.password(), StandardCharsets.UTF_8),
                        null, null);
            }
            return Authorization.NONE;
        }
        HttpUrl realm = request.url().resolve(challenge.realm());
        if (realm == null) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    target.registry() + ": the registry named an unusable token realm \"" + challenge.realm() + "\"");
        }
        if (!(credential instanceof Credential.Anonymous) && !realm.isHttps() && !plainRealmAllowed(request.url(), realm)) {
            throw new RegctlException(RegctlException.Kind.FAILURE, target.registry()
                    + ": refusing to send credentials to the plain-HTTP token realm " + realm.host()
                    + (request.isHttps() ? " of an HTTPS registry" : ""),
                    "the token service must speak HTTPS; plain HTTP is only used for a plain-HTTP registry's own"
                            + " host or on loopback", null);
        }
        // The registry's own credential, and a token kept for it alone: a registry may name any
        // realm, another registry's included, and must get no more there than its credential earns.
        RealmAccount account = new RealmAccount(target.registry(), credential, realm, challenge.service());
        List<String> scopes = Scope.union(target.scopes(), extraScope);
        TokenCache.Key key = new TokenCache.Key(account, scopes);
        Optional<BearerToken> token = tokens.get(key, () -> tokenEndpoint.fetch(account, scopes));
        return token.map(t -> new Authorization("Bearer " + t.value(), key, t)).orElse(Authorization.NONE);
    }

    /**
     * Credentials cross the network in the clear only where the registry itself already sends
     * them so: a plain-HTTP registry's realm on its own host, or on loopback beside a loopback
     * registry. Anything else could be read by whoever is on the path to the realm.
     */
    private static boolean plainRealmAllowed(HttpUrl registry, HttpUrl realm) {
        if (registry.isHttps()) {
            return false;
        }
        return realm.host().equals(registry.host())
                || (onLoopback(registry) && onLoopback(realm));
    }

    private static boolean onLoopback(HttpUrl url) {
        String host = url.host();
        return Loopback.isLoopback(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
    }

    private Credential credentialFor(AuthTarget target) {
        String repository = target.repository();
        Credential c = resolved.computeIfAbsent(Arrays.asList(target.registry(), repository),
                key -> credentials.apply(target.registry(), repository));
        return c == null ? new Credential.Anonymous() : c;
    }


    /** The Authorization header chosen for one attempt, and the cached token behind it if any. */
    private static final class Authorization {
        static final Authorization NONE = new Authorization(null, null, null);

        final String header;
        final TokenCache.Key key;
        final BearerToken token;

        Authorization(String header, TokenCache.Key key, BearerToken token) {
            this.header = header;
            this.key = key;
            this.token = token;
        }

        Request apply(Request request) {
            return header == null ? request : request.newBuilder().header("Authorization", header).build();
        }

        @Override
        public String toString() {
            return header == null ? "Authorization[none]" : "Authorization[" + Redaction.MASK + "]";
        }
    }
}
