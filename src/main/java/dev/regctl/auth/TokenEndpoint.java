package dev.regctl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.http.ConnectionFailure;
import dev.regctl.http.ErrorBody;
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
 * memory for the rest of the process, never written anywhere.
 */
final class TokenEndpoint {
    static final String CLIENT_ID = "regctl";
    private static final long DEFAULT_EXPIRES_IN = 60;
    private static final long MAX_BODY = 1 << 20;
    /**
     * The largest token accepted, 64 KiB: many times any real registry token (JWTs of a few KiB),
     * and the header-line limit of many servers. A larger one could not be sent anyway: a server
     * refusing the header closes the connection mid-write and OkHttp reports only "state: 0".
     */
    static final int MAX_TOKEN = 64 * 1024;

    private final Call.Factory client;
    private final Clock clock;
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

    TokenEndpoint(Call.Factory client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * A token for {@code scopes} at {@code realm}. An identity token (or a refresh token this
     * server gave earlier) is exchanged by POST, falling back to GET when the server does not
     * speak OAuth2 (404/405); a password goes by GET with Basic auth, falling back to the OAuth2
     * password grant when GET is not offered; anonymous clients GET without Authorization.
     *
     * @return empty when the server refused an anonymous client, so the caller can return the
     * registry's own 401
     * @throws RegctlException AUTH when the server refused the credential
     */
    Optional<BearerToken> fetch(String registry, HttpUrl realm, String service, List<String> scopes,
                                Credential credential) throws IOException {
        String refreshKey = realm + " " + service;
        String refresh = refreshTokens.get(refreshKey);
        if (refresh == null && credential instanceof Credential.IdentityToken t) {
            refresh = t.token();
        }
        String[] secrets = secretsOf(credential, refresh);
        Exchange exchange = new Exchange(registry, realm);
        Answer answer;
        if (refresh != null) {
            answer = exchange.call(refreshGrant(realm, service, scopes, refresh), secrets);
            if (answer.notSupported()) {
                answer = exchange.call(get(realm, service, scopes, passwordFor(credential)), secrets);
            }
        } else if (credential instanceof Credential.Basic basic) {
            answer = exchange.call(get(realm, service, scopes, basic), secrets);
            if (answer.notSupported()) {
                answer = exchange.call(passwordGrant(realm, service, scopes, basic), secrets);
            }
        } else {
            answer = exchange.call(get(realm, service, scopes, null), secrets);
        }
        return answer.token(registry, realm, secrets.length > 0, refreshKey);
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

    private static Request get(HttpUrl realm, String service, List<String> scopes, Credential.Basic basic) {
        HttpUrl.Builder url = realm.newBuilder();
        if (service != null && !service.isEmpty()) {
            url.addQueryParameter("service", service);
        }
        for (String scope : scopes) {
            url.addQueryParameter("scope", scope);
        }
        Request.Builder request = new Request.Builder().header("Accept", "application/json");
        if (basic != null) {
            // docker sends the account too; some token servers (docker_auth, Portus) read it
            url.addQueryParameter("account", basic.username());
            request.header("Authorization",
                    okhttp3.Credentials.basic(basic.username(), basic.password(), StandardCharsets.UTF_8));
        }
        return request.url(url.build()).build();
    }

    private static Request refreshGrant(HttpUrl realm, String service, List<String> scopes, String refreshToken) {
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", refreshToken);
        return post(realm, form, service, scopes);
    }

    private static Request passwordGrant(HttpUrl realm, String service, List<String> scopes, Credential.Basic basic) {
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "password")
                .add("username", basic.username())
                .add("password", basic.password());
        return post(realm, form, service, scopes);
    }

    private static Request post(HttpUrl realm, FormBody.Builder form, String service, List<String> scopes) {
        if (service != null) {
            form.add("service", service);
        }
        if (!scopes.isEmpty()) {
            // the OAuth2 dialect takes one space-separated scope list, not repeated parameters
            form.add("scope", String.join(" ", scopes));
        }
        form.add("client_id", CLIENT_ID);
        return new Request.Builder().url(realm).header("Accept", "application/json").post(form.build()).build();
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
            try (Response response = client.newCall(request).execute()) {
                String body = response.peekBody(MAX_BODY).string();
                return new Answer(response.code(), body, secrets);
            } catch (SSLException e) {
                String host = hostOf(realm);
                // --insecure is for the registry's own host, never its realm: it would not help here.
                throw new RegctlException(RegctlException.Kind.FAILURE,
                        prefix(registry, realm) + ConnectionFailure.describe(host, e),
                        ConnectionFailure.hint(host, e, "token server's", false), e);
            }
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

        Answer(int code, String body, String[] secrets) {
            this.code = code;
            this.body = body;
            this.secrets = secrets;
        }

        boolean notSupported() {
            return code == 404 || code == 405;
        }

        Optional<BearerToken> token(String registry, HttpUrl realm, boolean presentedSecret, String refreshKey) {
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
                refreshTokens.put(refreshKey, refresh);
            }
            Instant now = clock.instant();
            Instant issuedAt = issuedAt(json, now);
            long expiresIn = json.path("expires_in").asLong(0);
            if (expiresIn <= 0) {
                expiresIn = DEFAULT_EXPIRES_IN;
            }
            return Optional.of(new BearerToken(value, issuedAt, issuedAt.plusSeconds(expiresIn)));
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
