package dev.regctl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.http.ConnectionFailure;
import dev.regctl.http.ErrorBody;
import dev.regctl.http.Origin;
import dev.regctl.http.RequestFor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Asks a registry's token server for Bearer tokens, in the two dialects of the distribution
 * spec: GET with optional Basic auth ({@code auth/token.md}) and the OAuth2 form POST
 * ({@code auth/oauth.md}) for refresh tokens. Refresh tokens the server hands out are kept in
 * memory for the rest of the process, never written anywhere, and only for the registry and
 * credential they were issued to. Its client follows no redirect; this class follows a GET's
 * itself, within the realm's origin when the request carries a secret, and an OAuth2 POST's never.
 */
final class TokenEndpoint {
    static final String CLIENT_ID = "regctl";
    private static final long DEFAULT_EXPIRES_IN = 60;
    private static final long MAX_BODY = 1 << 20;
    /** As many redirects of one token GET as are followed, a few more than a realm moved twice needs. */
    private static final int MAX_REDIRECTS = 5;
    /**
     * The largest token accepted, 64 KiB: many times any real registry token (JWTs of a few KiB),
     * and the header-line limit of many servers. A larger one could not be sent anyway: a server
     * refusing the header closes the connection mid-write and OkHttp reports only "state: 0".
     */
    static final int MAX_TOKEN = 64 * 1024;

    private final Call.Factory client;
    private final Clock clock;
    private final Map<RealmAccount, String> refreshTokens = new ConcurrentHashMap<>();

    /** @param client a client that follows no redirect: the secrets of a POST would go on with it */
    TokenEndpoint(Call.Factory client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * A token for {@code scopes} from {@code account}'s realm. An identity token (or a refresh token this
     * server gave earlier) is exchanged by POST, falling back to GET when the server does not
     * speak OAuth2 (404/405); a password goes by GET with Basic auth, falling back to the OAuth2
     * password grant when GET is not offered; anonymous clients GET without Authorization.
     *
     * @return empty when the server refused an anonymous client, so the caller can return the
     * registry's own 401
     * @throws RegctlException AUTH when the server refused the credential; FAILURE when it
     *     redirected a request that carried a secret
     */
    Optional<BearerToken> fetch(RealmAccount account, List<String> scopes) throws IOException {
        Credential credential = account.credential();
        String refresh = refreshTokens.get(account);
        if (refresh == null && credential instanceof Credential.IdentityToken t) {
            refresh = t.token();
        }
        String[] secrets = secretsOf(credential, refresh);
        Exchange exchange = new Exchange(account.registry(), account.realm());
        Answer answer;
        if (refresh != null) {
            answer = exchange.call(refreshGrant(account, scopes, refresh), secrets);
            if (answer.notSupported()) {
                answer = exchange.call(get(account, scopes, passwordFor(credential)), secrets);
            }
        } else if (credential instanceof Credential.Basic basic) {
            answer = exchange.call(get(account, scopes, basic), secrets);
            if (answer.notSupported()) {
                answer = exchange.call(passwordGrant(account, scopes, basic), secrets);
            }
        } else {
            answer = exchange.call(get(account, scopes, null), secrets);
        }
        return answer.token(account, secrets.length > 0);
    }

    /**
     * The Basic credential to GET with when an identity token cannot be exchanged by POST: the
     * token as the password of a real username (ACR accepts that), else nothing.
     */
    private static Credential.Basic passwordFor(Credential credential) {
        if (credential instanceof Credential.Basic b) {
            return b;
        }
        if (credential instanceof Credential.IdentityToken t && !t.username().isEmpty()
                && !t.username().equals(CredentialHelper.TOKEN_USERNAME)) {
            return new Credential.Basic(t.username(), t.token());
        }
        return null;
    }

    /** Everything secret this exchange may send, so no answer can echo it into a message. */
    private static String[] secretsOf(Credential credential, String refresh) {
        List<String> secrets = new ArrayList<>();
        if (credential instanceof Credential.Basic b && !b.password().isEmpty()) {
            secrets.add(b.password());
        }
        if (credential instanceof Credential.IdentityToken t) {
            secrets.add(t.token());
        }
        if (refresh != null) {
            secrets.add(refresh);
        }
        return secrets.toArray(String[]::new);
    }

    private static Request get(RealmAccount account, List<String> scopes, Credential.Basic basic) {
        HttpUrl.Builder url = account.realm().newBuilder();
        if (!account.service().isEmpty()) {
            url.addQueryParameter("service", account.service());
        }
        for (String scope : scopes) {
            url.addQueryParameter("scope", scope);
        }
        Request.Builder request = tokenRequest(account);
        if (basic != null) {
            // docker sends the account too; some token servers (docker_auth, Portus) read it
            url.addQueryParameter("account", basic.username());
            request.header("Authorization",
                    okhttp3.Credentials.basic(basic.username(), basic.password(), StandardCharsets.UTF_8));
        }
        return request.url(url.build()).build();
    }

    private static Request refreshGrant(RealmAccount account, List<String> scopes, String refreshToken) {
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", refreshToken);
        return post(account, form, scopes);
    }

    private static Request passwordGrant(RealmAccount account, List<String> scopes, Credential.Basic basic) {
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "password")
                .add("username", basic.username())
                .add("password", basic.password());
        return post(account, form, scopes);
    }

    private static Request post(RealmAccount account, FormBody.Builder form, List<String> scopes) {
        if (!account.service().isEmpty()) {
            form.add("service", account.service());
        }
        if (!scopes.isEmpty()) {
            // the OAuth2 dialect takes one space-separated scope list, not repeated parameters
            form.add("scope", String.join(" ", scopes));
        }
        form.add("client_id", CLIENT_ID);
        return tokenRequest(account).url(account.realm()).post(form.build()).build();
    }

    /** Every token request names the registry it is made for: trust at the realm is chosen by it. */
    private static Request.Builder tokenRequest(RealmAccount account) {
        return new Request.Builder().header("Accept", "application/json")
                .tag(RequestFor.class, new RequestFor(account.registry()));
    }

    /** The token requests of one fetch; failures name the realm's host, not the registry's. */
    private final class Exchange {
        final String registry;
        final HttpUrl realm;

        Exchange(String registry, HttpUrl realm) {
            this.registry = registry;
            this.realm = realm;
        }

        Answer call(Request request, String... secrets) throws IOException {
            Request next = request;
            for (int redirects = 0; ; redirects++) {
                Request sent = next;
                try (Response response = client.newCall(sent).execute()) {
                    next = redirects < MAX_REDIRECTS ? followUp(sent, response, secrets.length > 0) : null;
                    if (next == null) {
                        String body = response.peekBody(MAX_BODY).string();
                        return new Answer(response, body, secrets);
                    }
                } catch (SSLException e) {
                    throw tlsFailure(e);
                }
            }
        }

        /**
         * The GET a redirect of a GET leads to, or null when it is not followed: a request with a
         * secret stays on the realm's origin; one without may go anywhere, without Authorization.
         */
        private Request followUp(Request sent, Response response, boolean carriesSecret) {
            String location = response.header("Location");
            if (!response.isRedirect() || location == null || !sent.method().equals("GET")) {
                return null;
            }
            HttpUrl target = sent.url().resolve(location);
            if (target == null || carriesSecret && !Origin.of(realm).owns(target)) {
                return null;
            }
            Request.Builder followed = sent.newBuilder().url(target);
            if (!Origin.of(sent.url()).owns(target)) {
                followed.removeHeader("Authorization");
            }
            return followed.build();
        }

        private RegctlException tlsFailure(SSLException e) {
            String host = hostOf(realm);
            // --insecure is for the registry's own host, never its realm: it would not help here.
            return new RegctlException(RegctlException.Kind.FAILURE,
                    prefix(registry, realm) + ConnectionFailure.describe(host, e),
                    ConnectionFailure.hint(host, e, "token server's", false), e);
        }
    }

    /** {@code host} or {@code host:port} when the port is not the scheme's own, as certs.d names it. */
    private static String hostOf(HttpUrl url) {
        return url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host() : url.host() + ":" + url.port();
    }

    private static String prefix(String registry, HttpUrl realm) {
        return "get a token from " + hostOf(realm) + " for " + registry + ": ";
    }

    /** One response from the token server, read whole so the connection is free again. */
    private final class Answer {
        final int code;
        final String body;
        final String[] secrets;
        /** Where the answer came from: the realm, unless a redirect was followed. */
        final HttpUrl answeredAt;
        /** Whether the answer is itself a redirect, not followed. */
        final boolean redirect;
        /** Where a redirect not followed points, or null. */
        final HttpUrl location;

        Answer(Response response, String body, String[] secrets) {
            this.code = response.code();
            this.body = body;
            this.secrets = secrets;
            this.answeredAt = response.request().url();
            this.redirect = response.isRedirect();
            String to = response.header("Location");
            this.location = redirect && to != null ? answeredAt.resolve(to) : null;
        }

        boolean notSupported() {
            return code == 404 || code == 405;
        }

        Optional<BearerToken> token(RealmAccount account, boolean presentedSecret) {
            String registry = account.registry();
            HttpUrl realm = account.realm();
            if (presentedSecret) {
                refuseRedirect(registry, realm);
            }
            if (code == 401 || code == 403) {
                if (!presentedSecret) {
                    return Optional.empty();
                }
                throw new RegctlException(RegctlException.Kind.AUTH,
                        registry + ": authentication failed: " + refusal(code, body, secrets));
            }
            if (code < 200 || code >= 300) {
                throw new RegctlException(RegctlException.Kind.FAILURE,
                        registry + ": token request failed: " + refusal(code, body, secrets));
            }
            JsonNode json;
            try {
                json = Json.readTree(body);
            } catch (IOException e) {
                json = null;
            }
            if (json == null || !json.isObject()) {
                throw new RegctlException(RegctlException.Kind.FAILURE,
                        registry + ": token endpoint answered with something other than a JSON object");
            }
            // access_token is the OAuth2 name; the spec lets servers send both, docker prefers it
            String value = AuthFile.text(json, "access_token");
            if (value.isEmpty()) {
                value = AuthFile.text(json, "token");
            }
            if (value.isEmpty()) {
                throw new RegctlException(RegctlException.Kind.FAILURE, registry + ": token endpoint answered without a token");
            }
            if (value.length() > MAX_TOKEN) {
                throw new RegctlException(RegctlException.Kind.FAILURE, prefix(registry, realm) + "the token server sent a token of "
                        + value.length() + " bytes, more than the " + MAX_TOKEN + " regctl accepts");
            }
            String refresh = AuthFile.text(json, "refresh_token");
            if (!refresh.isEmpty()) {
                refreshTokens.put(account, refresh);
            }
            Instant now = clock.instant();
            Instant issuedAt = issuedAt(json, now);
            long expiresIn = json.path("expires_in").asLong(0);
            if (expiresIn <= 0) {
                expiresIn = DEFAULT_EXPIRES_IN;
            }
            return Optional.of(new BearerToken(value, issuedAt, issuedAt.plusSeconds(expiresIn)));
        }

        /**
         * A secret goes to the realm's own origin only: a redirect elsewhere was followed without
         * it (so its answer is not the realm's), and one not followed is not followed now.
         */
        private void refuseRedirect(String registry, HttpUrl realm) {
            if (!redirect && Origin.of(realm).owns(answeredAt)) {
                return;
            }
            HttpUrl elsewhere = redirect ? location : answeredAt;
            throw new RegctlException(RegctlException.Kind.FAILURE, prefix(registry, realm)
                    + "the token server redirected the request" + (elsewhere == null ? "" : " to " + Origin.of(elsewhere))
                    + "; regctl does not follow redirects of token requests that carry credentials");
        }

        /** {@code issued_at} as sent, or now; a time in the future is clock skew and taken as now. */
        private Instant issuedAt(JsonNode json, Instant now) {
            String text = AuthFile.text(json, "issued_at");
            if (text.isEmpty()) {
                return now;
            }
            try {
                Instant sent = OffsetDateTime.parse(text).toInstant();
                return sent.isAfter(now) ? now : sent;
            } catch (DateTimeParseException e) {
                return now;
            }
        }
    }

    /** The token server's own words, secrets masked before anything is cut or decoded. */
    private static String refusal(int code, String body, String... secrets) {
        return ErrorBody.parse(code, null, Redaction.redact(body, secrets)).words();
    }
}
