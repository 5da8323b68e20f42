package dev.regctl.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code /token} endpoint of {@link TokenServer}: the docker token protocol (GET with optional
 * Basic auth) and its OAuth2 variant (POST form, {@code password} and {@code refresh_token}
 * grants). Answers with JWTs holding the policy's cut of the requested scopes, and records each
 * request without its secrets.
 */
final class TokenEndpoint implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenPolicy policy;
    private final TokenSigningKey key;
    private final String service;
    private final String issuer;
    private final Duration lifetime;
    private final boolean refreshTokensAlways;
    private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

    /** @param refreshTokensAlways whether every authenticated answer carries a refresh token, unasked */
    TokenEndpoint(TokenPolicy policy, TokenSigningKey key, String service, String issuer, Duration lifetime,
                  boolean refreshTokensAlways) {
        this.policy = policy;
        this.key = key;
        this.service = service;
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.refreshTokensAlways = refreshTokensAlways;
    }

    List<TokenRequest> requests() {
        return List.copyOf(requests);
    }

    void clearRequests() {
        requests.clear();
    }

    /** A token holding exactly {@code scopes}, whatever the policy says. */
    String mint(String subject, List<String> scopes) {
        List<TokenPolicy.Scope> access = new ArrayList<>();
        for (String s : scopes) {
            access.add(TokenPolicy.Scope.parse(s));
        }
        return sign(subject, access, Instant.now());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestURI().getPath().equals("/token")) {
                reply(exchange, 404, Map.of("errors", List.of(error("NOT_FOUND", "no such endpoint"))));
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> handleGet(exchange);
                case "POST" -> handlePost(exchange);
                default -> {
                    exchange.getResponseHeaders().set("Allow", "GET, POST");
                    reply(exchange, 405, Map.of("errors", List.of(error("UNSUPPORTED", "use GET or POST"))));
                }
            }
        } catch (RuntimeException e) {
            // An uncaught exception would only close the connection; the client deserves a reason.
            reply(exchange, 500, Map.of("errors", List.of(error("UNKNOWN", String.valueOf(e)))));
        } finally {
            exchange.close();
        }
    }

    /** The token spec's GET flow: scopes as repeated query parameters, credentials as Basic auth. */
    private void handleGet(HttpExchange exchange) throws IOException {
        Map<String, List<String>> query = parseForm(exchange.getRequestURI().getRawQuery());
        List<String> scopes = splitScopes(query.getOrDefault("scope", List.of()));
        String user = "";
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            String[] credentials = basicCredentials(authorization);
            if (credentials == null || !policy.authenticate(credentials[0], credentials[1])) {
                record("GET", "", credentials == null ? "" : credentials[0], scopes, List.of(), 401);
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + issuer + "\"");
                reply(exchange, 401, Map.of("errors", List.of(error("UNAUTHORIZED", "incorrect username or password"))));
                return;
            }
            user = credentials[0];
        }
        if (!service.equals(first(query, "service"))) {
            record("GET", "", user, scopes, List.of(), 400);
            reply(exchange, 400, Map.of("errors", List.of(error("DENIED", "unknown service \"" + first(query, "service") + "\""))));
            return;
        }
        Issued issued = issue(user, scopes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token);
        body.put("access_token", issued.token);
        body.put("expires_in", lifetime.toSeconds());
        body.put("issued_at", issued.at.toString());
        if (!user.isEmpty() && (refreshTokensAlways || "true".equals(first(query, "offline_token")))) {
            body.put("refresh_token", newRefreshToken(user));
        }
        record("GET", "", user, scopes, issued.granted, 200);
        reply(exchange, 200, body);
    }

    /**
     * The OAuth2 flow. A refresh token comes back for every password grant (a client may always
     * keep one) and, for a refresh grant, only with {@code access_type=offline}, as the same token.
     */
    private void handlePost(HttpExchange exchange) throws IOException {
        Map<String, List<String>> form;
        try (InputStream in = exchange.getRequestBody()) {
            form = parseForm(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String grantType = first(form, "grant_type");
        List<String> scopes = splitScopes(form.getOrDefault("scope", List.of()));
        String user;
        String refreshToken;
        switch (grantType) {
            case "password" -> {
                user = first(form, "username");
                if (!policy.authenticate(user, first(form, "password"))) {
                    record("POST", grantType, user, scopes, List.of(), 401);
                    reply(exchange, 401, oauthError("invalid_grant", "incorrect username or password"));
                    return;
                }
                refreshToken = newRefreshToken(user);
            }
            case "refresh_token" -> {
                refreshToken = first(form, "refresh_token");
                user = refreshTokens.get(refreshToken);
                if (user == null) {
                    record("POST", grantType, "", scopes, List.of(), 401);
                    reply(exchange, 401, oauthError("invalid_grant", "unknown or revoked refresh token"));
                    return;
                }
                if (!refreshTokensAlways && !"offline".equals(first(form, "access_type"))) {
                    refreshToken = null;
                }
            }
            default -> {
                record("POST", grantType, "", scopes, List.of(), 400);
                reply(exchange, 400, oauthError("unsupported_grant_type", "grant_type \"" + grantType + "\" is not supported"));
                return;
            }
        }
        if (!service.equals(first(form, "service"))) {
            record("POST", grantType, user, scopes, List.of(), 400);
            reply(exchange, 400, oauthError("invalid_request", "unknown service \"" + first(form, "service") + "\""));
            return;
        }
        Issued issued = issue(user, scopes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token);
        body.put("scope", String.join(" ", issued.granted));
        body.put("expires_in", lifetime.toSeconds());
        body.put("issued_at", issued.at.toString());
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        record("POST", grantType, user, scopes, issued.granted, 200);
        reply(exchange, 200, body);
    }

    private record Issued(String token, Instant at, List<String> granted) {
    }

    private Issued issue(String user, List<String> requestedScopes) {
        List<TokenPolicy.Scope> access = new ArrayList<>();
        for (String s : requestedScopes) {
            TokenPolicy.Scope granted = policy.grant(user, TokenPolicy.Scope.parse(s));
            if (!granted.actions().isEmpty()) {
                access.add(granted);
            }
        }
        Instant now = Instant.now();
        return new Issued(sign(user, access, now), now, access.stream().map(TokenPolicy.Scope::toString).toList());
    }

    private String sign(String subject, List<TokenPolicy.Scope> access, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", service);
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        // A little slack before now: the registry compares nbf with its own clock to the second.
        claims.put("nbf", now.minusSeconds(10).getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access.stream().map(s -> Map.of(
                "type", s.type(), "name", s.name(), "actions", List.copyOf(s.actions()))).toList());
        return key.sign(claims);
    }

    private String newRefreshToken(String user) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        refreshTokens.put(token, user);
        return token;
    }

    private void record(String method, String grantType, String user, List<String> scopes, List<String> granted, int status) {
        requests.add(new TokenRequest(method, grantType, user == null ? "" : user, List.copyOf(scopes), List.copyOf(granted), status));
    }

    private static String[] basicCredentials(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    /** Scopes may arrive as repeated parameters, space-separated in one, or both. */
    private static List<String> splitScopes(List<String> values) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String v : values) {
            for (String s : v.trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        return List.copyOf(scopes);
    }

    private static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static Map<String, Object> error(String code, String message) {
        return Map.of("code", code, "message", message);
    }

    private static Map<String, Object> oauthError(String error, String description) {
        return Map.of("error", error, "error_description", description);
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
