package dev.regctl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.http.RequestFor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryAuthInterceptorTest {
    private static final String REGISTRY = "registry.test";
    private static final String EVIL = "evil.test";
    private static final AuthTarget PULL_FOO = AuthTarget.of(REGISTRY, Scope.repository("foo", "pull"));
    private static final String UNAUTHORIZED_BODY =
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}";

    MockWebServer registry;
    /** Another registry in the same run, naming {@link #registry}'s realm as its own. */
    MockWebServer evil;
    MockWebServer auth;
    OkHttpClient tokenClient;
    MutableClock clock;

    @BeforeEach
    void start() throws IOException {
        registry = new MockWebServer();
        evil = new MockWebServer();
        auth = new MockWebServer();
        registry.start();
        evil.start();
        auth.start();
        tokenClient = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
        clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
    }

    @AfterEach
    void stop() throws IOException {
        registry.shutdown();
        evil.shutdown();
        auth.shutdown();
    }

    @Test
    void requestsWithoutAnAuthTargetPassThrough() throws Exception {
        registry.enqueue(challenge("Basic realm=\"r\""));
        OkHttpClient client = client(new Credential.Basic("alice", "pw"));
        try (Response r = client.newCall(new Request.Builder().url(registry.url("/v2/")).build()).execute()) {
            assertEquals(401, r.code());
        }
        assertEquals(1, registry.getRequestCount());
        assertNull(take(registry).getHeader("Authorization"));
    }

    @Test
    void basicChallengeIsAnsweredAndThenSentUpFront() throws Exception {
        registry.enqueue(challenge("Basic realm=\"Registry Realm\""));
        registry.enqueue(ok());
        registry.enqueue(ok());
        OkHttpClient client = client(new Credential.Basic("alice", "pa:ss"));
        assertEquals(200, code(client, "/v2/foo/tags/list", PULL_FOO));
        assertEquals(200, code(client, "/v2/foo/manifests/latest", PULL_FOO));

        assertEquals(3, registry.getRequestCount(), "the second call needs no 401 round trip");
        assertNull(take(registry).getHeader("Authorization"));
        String basic = "Basic " + CredentialResolverTest.b64("alice:pa:ss");
        assertEquals(basic, take(registry).getHeader("Authorization"));
        assertEquals(basic, take(registry).getHeader("Authorization"));
    }

    @Test
    void eachRepositoryIsAuthenticatedWithItsOwnCredential() throws Exception {
        registry.enqueue(challenge("Basic realm=\"r\""));
        registry.enqueue(ok());
        registry.enqueue(ok());
        OkHttpClient client = tokenClient.newBuilder().addInterceptor(new RegistryAuthInterceptor(
                (String r, String repository) -> "team/app".equals(repository)
                        ? new Credential.Basic("alice", "team-pw") : new Credential.Basic("bob", "registry-pw"),
                tokenClient, clock)).build();
        assertEquals(200, code(client, "/v2/team/app/tags/list", AuthTarget.of(REGISTRY, Scope.repository("team/app", "pull"))));
        assertEquals(200, code(client, "/v2/foo/tags/list", PULL_FOO));
        take(registry);
        assertEquals("Basic " + CredentialResolverTest.b64("alice:team-pw"), take(registry).getHeader("Authorization"));
        assertEquals("Basic " + CredentialResolverTest.b64("bob:registry-pw"), take(registry).getHeader("Authorization"));
    }

    @Test
    void basicChallengeWithoutACredentialReturnsThe401() throws Exception {
        registry.enqueue(challenge("Basic realm=\"r\""));
        try (Response r = call(client(new Credential.Anonymous()), "/v2/", AuthTarget.of(REGISTRY))) {
            assertEquals(401, r.code());
            assertEquals(UNAUTHORIZED_BODY, r.body().string());
        }
        assertEquals(1, registry.getRequestCount());
    }

    @Test
    void wrongBasicPasswordSentUpFrontIsNotRetried() throws Exception {
        registry.enqueue(challenge("Basic realm=\"r\""));
        registry.enqueue(challenge("Basic realm=\"r\""));
        registry.enqueue(challenge("Basic realm=\"r\""));
        OkHttpClient client = client(new Credential.Basic("alice", "wrong"));
        assertEquals(401, code(client, "/v2/", AuthTarget.of(REGISTRY)));
        assertEquals(401, code(client, "/v2/", AuthTarget.of(REGISTRY)));
        assertEquals(3, registry.getRequestCount(), "1 + 1 retry, then 1 pre-emptive with nothing new to try");
    }

    @Test
    void bearerTokenByGetWithBasicAuthAndTheTokenField() throws Exception {
        registry.enqueue(challenge(bearer("repository:foo:pull")));
        registry.enqueue(ok());
        auth.enqueue(json("{\"token\":\"T1\",\"expires_in\":300}"));
        assertEquals(200, code(client(new Credential.Basic("alice", "pw")), "/v2/foo/tags/list", PULL_FOO));

        RecordedRequest tokenRequest = take(auth);
        assertEquals("GET", tokenRequest.getMethod());
        HttpUrl url = tokenRequest.getRequestUrl();
        assertEquals("/token", url.encodedPath());
        assertEquals("registry.test", url.queryParameter("service"));
        assertEquals(List.of("repository:foo:pull"), url.queryParameterValues("scope"));
        assertEquals("alice", url.queryParameter("account"));
        assertEquals("Basic " + CredentialResolverTest.b64("alice:pw"), tokenRequest.getHeader("Authorization"));
        take(registry);
        assertEquals("Bearer T1", take(registry).getHeader("Authorization"));
    }

    @Test
    void bearerTokenFromTheAccessTokenField() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        registry.enqueue(ok());
        auth.enqueue(json("{\"access_token\":\"A1\"}"));
        assertEquals(200, code(client(new Credential.Anonymous()), "/v2/foo/tags/list", PULL_FOO));
        take(registry);
        assertEquals("Bearer A1", take(registry).getHeader("Authorization"));
    }

    @Test
    void anonymousPullTokenIsRequestedWithoutAuthorization() throws Exception {
        registry.enqueue(challenge(bearer("repository:library/ubuntu:pull")));
        registry.enqueue(ok());
        auth.enqueue(json("{\"token\":\"anon\",\"access_token\":\"anon\"}"));
        AuthTarget target = AuthTarget.of(REGISTRY, Scope.repository("library/ubuntu", "pull"));
        assertEquals(200, code(client(new Credential.Anonymous()), "/v2/library/ubuntu/manifests/latest", target));
        RecordedRequest tokenRequest = take(auth);
        assertNull(tokenRequest.getHeader("Authorization"));
        assertNull(tokenRequest.getRequestUrl().queryParameter("account"));
        assertEquals(List.of("repository:library/ubuntu:pull"), tokenRequest.getRequestUrl().queryParameterValues("scope"));
    }

    @Test
    void identityTokenIsExchangedByOAuth2PostAndANewRefreshTokenIsUsedNextTime() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        registry.enqueue(ok());
        registry.enqueue(ok());
        auth.enqueue(json("{\"access_token\":\"A1\",\"refresh_token\":\"R2\",\"expires_in\":60}"));
        auth.enqueue(json("{\"access_token\":\"A2\",\"expires_in\":60}"));
        OkHttpClient client = client(new Credential.IdentityToken("<token>", "R1"));
        AuthTarget two = new AuthTarget(REGISTRY, List.of(Scope.repository("foo", "pull", "push"), Scope.repository("bar", "pull")));
        assertEquals(200, code(client, "/v2/foo/blobs/uploads/", two));
        clock.advance(Duration.ofSeconds(61));
        assertEquals(200, code(client, "/v2/foo/blobs/uploads/", two));

        Map<String, String> first = form(take(auth));
        assertEquals(Map.of("grant_type", "refresh_token", "refresh_token", "R1", "service", "registry.test",
                "scope", "repository:foo:pull,push repository:bar:pull", "client_id", "regctl"), first);
        Map<String, String> second = form(take(auth));
        assertEquals("R2", second.get("refresh_token"));
        take(registry);
        assertEquals("Bearer A1", take(registry).getHeader("Authorization"));
        assertEquals("Bearer A2", take(registry).getHeader("Authorization"));
    }

    @Test
    void identityTokenFallsBackToGetWhenTheRealmHasNoOAuth2() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        registry.enqueue(ok());
        auth.enqueue(new MockResponse().setResponseCode(404));
        auth.enqueue(json("{\"token\":\"T\"}"));
        assertEquals(200, code(client(new Credential.IdentityToken("00000000-0000-0000-0000-000000000000", "R1")),
                "/v2/foo/tags/list", PULL_FOO));
        assertEquals("POST", take(auth).getMethod());
        RecordedRequest get = take(auth);
        assertEquals("GET", get.getMethod());
        assertEquals("Basic " + CredentialResolverTest.b64("00000000-0000-0000-0000-000000000000:R1"),
                get.getHeader("Authorization"));
    }

    @Test
    void passwordFallsBackToTheOAuth2PasswordGrantWhenGetIsNotOffered() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        registry.enqueue(ok());
        auth.enqueue(new MockResponse().setResponseCode(405));
        auth.enqueue(json("{\"access_token\":\"P\"}"));
        assertEquals(200, code(client(new Credential.Basic("alice", "pw")), "/v2/foo/tags/list", PULL_FOO));
        assertEquals("GET", take(auth).getMethod());
        assertEquals(Map.of("grant_type", "password", "username", "alice", "password", "pw", "service", "registry.test",
                "scope", "repository:foo:pull", "client_id", "regctl"), form(take(auth)));
        take(registry);
        assertEquals("Bearer P", take(registry).getHeader("Authorization"));
    }

    @Test
    void tokenIsReusedUntilExpiresInRunsOutThenFetchedAgain() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        registry.enqueue(ok());
        registry.enqueue(ok());
        registry.enqueue(ok());
        auth.enqueue(json("{\"token\":\"T1\",\"expires_in\":120}"));
        auth.enqueue(json("{\"token\":\"T2\",\"expires_in\":120}"));
        OkHttpClient client = client(new Credential.Anonymous());
        code(client, "/v2/foo/tags/list", PULL_FOO);
        clock.advance(Duration.ofSeconds(100));
        code(client, "/v2/foo/tags/list", PULL_FOO);
        assertEquals(1, auth.getRequestCount(), "still good at 100 s of 120");
        clock.advance(Duration.ofSeconds(15));
        code(client, "/v2/foo/tags/list", PULL_FOO);
        assertEquals(2, auth.getRequestCount(), "within the safety margin before expiry");
        take(registry);
        take(registry);
        assertEquals("Bearer T1", take(registry).getHeader("Authorization"));
        assertEquals("Bearer T2", take(registry).getHeader("Authorization"));
    }

    @Test
    void missingExpiresInMeansSixtySeconds() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        for (int i = 0; i < 3; i++) {
            registry.enqueue(ok());
        }
        auth.enqueue(json("{\"token\":\"T1\"}"));
        auth.enqueue(json("{\"token\":\"T2\"}"));
        OkHttpClient client = client(new Credential.Anonymous());
        code(client, "/v2/foo/tags/list", PULL_FOO);
        clock.advance(Duration.ofSeconds(50));
        code(client, "/v2/foo/tags/list", PULL_FOO);
        assertEquals(1, auth.getRequestCount());
        clock.advance(Duration.ofSeconds(10));
        code(client, "/v2/foo/tags/list", PULL_FOO);
        assertEquals(2, auth.getRequestCount());
    }

    @Test
    void issuedAtInThePastShortensTheTokensLife() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        registry.enqueue(ok());
        registry.enqueue(ok());
        auth.enqueue(json("{\"token\":\"OLD\",\"expires_in\":300,\"issued_at\":\"2024-05-01T11:00:00Z\"}"));
        auth.enqueue(json("{\"token\":\"NEW\",\"expires_in\":300,\"issued_at\":\"2024-05-01T12:00:00.123456789Z\"}"));
        OkHttpClient client = client(new Credential.Anonymous());
        code(client, "/v2/foo/tags/list", PULL_FOO);
        code(client, "/v2/foo/tags/list", PULL_FOO);
        assertEquals(2, auth.getRequestCount(), "issued an hour ago with 5 minutes to live: already expired");
        take(registry);
        assertEquals("Bearer OLD", take(registry).getHeader("Authorization"), "still used once, for the call that fetched it");
        assertEquals("Bearer NEW", take(registry).getHeader("Authorization"));
    }

    @Test
    void insufficientScopeGetsATokenWithTheExtraScopeAndOneRetry() throws Exception {
        registry.enqueue(challenge(bearer("repository:foo:pull")));
        registry.enqueue(ok());
        registry.enqueue(challenge(bearer("repository:foo:pull,push") + ",error=\"insufficient_scope\""));
        registry.enqueue(ok());
        registry.enqueue(ok());
        auth.enqueue(json("{\"token\":\"PULL\",\"expires_in\":300}"));
        auth.enqueue(json("{\"token\":\"PUSH\",\"expires_in\":300}"));
        OkHttpClient client = client(new Credential.Basic("alice", "pw"));
        assertEquals(200, code(client, "/v2/foo/manifests/latest", PULL_FOO));
        assertEquals(200, code(client, "/v2/foo/manifests/latest", PULL_FOO));
        assertEquals(200, code(client, "/v2/foo/manifests/latest", PULL_FOO));

        take(auth);
        assertEquals(List.of("repository:foo:pull,push"),
                take(auth).getRequestUrl().queryParameterValues("scope"));
        assertEquals(2, auth.getRequestCount(), "the pull token stays cached: it was refused for scope, not for itself");
        take(registry);
        take(registry);
        assertEquals("Bearer PULL", take(registry).getHeader("Authorization"));
        assertEquals("Bearer PUSH", take(registry).getHeader("Authorization"));
        assertEquals("Bearer PULL", take(registry).getHeader("Authorization"));
    }

    @Test
    void aTokenTheRegistryRefusesIsDroppedAndReplacedOnce() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        registry.enqueue(ok());
        registry.enqueue(challenge(bearer(null) + ",error=\"invalid_token\""));
        registry.enqueue(ok());
        auth.enqueue(json("{\"token\":\"REVOKED\",\"expires_in\":3600}"));
        auth.enqueue(json("{\"token\":\"FRESH\",\"expires_in\":3600}"));
        OkHttpClient client = client(new Credential.Anonymous());
        code(client, "/v2/foo/tags/list", PULL_FOO);
        assertEquals(200, code(client, "/v2/foo/tags/list", PULL_FOO));
        assertEquals(2, auth.getRequestCount());
        take(registry);
        take(registry);
        assertEquals("Bearer REVOKED", take(registry).getHeader("Authorization"));
        assertEquals("Bearer FRESH", take(registry).getHeader("Authorization"));
    }

    @Test
    void aSecond401IsReturnedUnchanged() throws Exception {
        String denied = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}";
        registry.enqueue(challenge(bearer("repository:foo:pull")));
        registry.enqueue(challenge(bearer("repository:foo:pull")).setBody(denied).addHeader("X-Trace", "t-42"));
        auth.enqueue(json("{\"token\":\"T\"}"));
        try (Response r = call(client(new Credential.Basic("alice", "pw")), "/v2/foo/tags/list", PULL_FOO)) {
            assertEquals(401, r.code());
            assertEquals(denied, r.body().string());
            assertEquals("t-42", r.header("X-Trace"));
        }
        assertEquals(2, registry.getRequestCount());
    }

    @Test
    void wrongPasswordIsAnAuthErrorWithTheTokenServersWords() throws Exception {
        registry.enqueue(challenge(bearer("repository:foo:pull")));
        auth.enqueue(new MockResponse().setResponseCode(401).setBody("{\"details\":\"incorrect username or password\"}"));
        RegctlException e = assertThrows(RegctlException.class,
                () -> call(client(new Credential.Basic("alice", "wrong-pw")), "/v2/foo/tags/list", PULL_FOO));
        assertEquals(RegctlException.Kind.AUTH, e.kind());
        assertEquals("registry.test: authentication failed: incorrect username or password", e.getMessage());
    }

    @Test
    void theRegistrys401IsClosedWhenTheTokenFetchFails() throws Exception {
        registry.enqueue(challenge(bearer("repository:foo:pull")));
        auth.enqueue(new MockResponse().setResponseCode(401).setBody("{\"details\":\"incorrect password\"}"));
        okhttp3.ConnectionPool pool = new okhttp3.ConnectionPool();
        OkHttpClient client = client(new Credential.Basic("alice", "wrong-pw")).newBuilder().connectionPool(pool).build();
        assertThrows(RegctlException.class, () -> call(client, "/v2/foo/tags/list", PULL_FOO));
        assertEquals(1, pool.connectionCount());
        assertEquals(1, pool.idleConnectionCount(), "the 401's connection went back to the pool, not leaked");
    }

    @Test
    void errorTextFromTheTokenServerNeverCarriesTheSecret() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        auth.enqueue(new MockResponse().setResponseCode(403)
                .setBody("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token sekrit-rt-123 revoked\"}"));
        RegctlException e = assertThrows(RegctlException.class,
                () -> call(client(new Credential.IdentityToken("<token>", "sekrit-rt-123")), "/v2/foo/tags/list", PULL_FOO));
        assertEquals(RegctlException.Kind.AUTH, e.kind());
        assertEquals("registry.test: authentication failed: invalid_grant: refresh token *** revoked", e.getMessage());
    }

    @Test
    void anonymousClientsRefusedByTheTokenServerGetTheRegistrys401() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        auth.enqueue(new MockResponse().setResponseCode(401).setBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}"));
        try (Response r = call(client(new Credential.Anonymous()), "/v2/", AuthTarget.of(REGISTRY))) {
            assertEquals(401, r.code());
            assertEquals(UNAUTHORIZED_BODY, r.body().string());
        }
    }

    @Test
    void otherTokenServerFailuresAreGeneralFailures() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        auth.enqueue(new MockResponse().setResponseCode(503).setBody("upstream\nunavailable"));
        RegctlException e = assertThrows(RegctlException.class,
                () -> call(client(new Credential.Anonymous()), "/v2/", AuthTarget.of(REGISTRY)));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertEquals("registry.test: token request failed: upstream unavailable", e.getMessage());
    }

    @Test
    void anAnswerWithoutATokenIsAFailure() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        auth.enqueue(json("{\"token\":\"\",\"expires_in\":60}"));
        RegctlException e = assertThrows(RegctlException.class,
                () -> call(client(new Credential.Anonymous()), "/v2/", AuthTarget.of(REGISTRY)));
        assertEquals("registry.test: token endpoint answered without a token", e.getMessage());
    }

    @Test
    void tokensAreCachedPerScope() throws Exception {
        registry.enqueue(challenge(bearer(null)));
        for (int i = 0; i < 5; i++) {
            registry.enqueue(ok());
        }
        auth.enqueue(json("{\"token\":\"FOO\",\"expires_in\":300}"));
        auth.enqueue(json("{\"token\":\"BAR\",\"expires_in\":300}"));
        AuthTarget pullBar = AuthTarget.of(REGISTRY, Scope.repository("bar", "pull"));
        AuthTarget bothOrders = new AuthTarget(REGISTRY, List.of(Scope.repository("foo", "pull")));
        OkHttpClient client = client(new Credential.Anonymous());
        code(client, "/v2/foo/tags/list", PULL_FOO);
        code(client, "/v2/bar/tags/list", pullBar);
        code(client, "/v2/foo/tags/list", bothOrders);
        code(client, "/v2/bar/tags/list", pullBar);
        assertEquals(2, auth.getRequestCount());
        assertEquals(List.of("repository:foo:pull"), take(auth).getRequestUrl().queryParameterValues("scope"));
        assertEquals(List.of("repository:bar:pull"), take(auth).getRequestUrl().queryParameterValues("scope"));
        take(registry);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(take(registry).getHeader("Authorization"));
        }
        assertEquals(List.of("Bearer FOO", "Bearer BAR", "Bearer FOO", "Bearer BAR"), sent);
    }

    @Test
    void parallelRequestsShareOneTokenFetch() throws Exception {
        AtomicInteger tokenFetches = new AtomicInteger();
        String challenge = bearer("repository:foo:pull");
        registry.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return "Bearer ONE".equals(request.getHeader("Authorization")) ? ok() : challenge(challenge);
            }
        });
        auth.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                tokenFetches.incrementAndGet();
                return json("{\"token\":\"ONE\",\"expires_in\":300}").setBodyDelay(200, TimeUnit.MILLISECONDS);
            }
        });
        OkHttpClient client = client(new Credential.Anonymous());
        client.dispatcher().setMaxRequestsPerHost(32);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> code(client, "/v2/foo/blobs/sha256:" + "a".repeat(64), PULL_FOO)));
            }
            for (Future<Integer> r : results) {
                assertEquals(200, r.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, tokenFetches.get());
    }

    @Test
    void aOneShotBodyIsNotReplayed() throws Exception {
        registry.enqueue(challenge("Basic realm=\"r\""));
        RequestBody oneShot = new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/octet-stream");
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8("blob bytes");
            }

            @Override
            public boolean isOneShot() {
                return true;
            }
        };
        Request put = new Request.Builder().url(registry.url("/v2/foo/blobs/uploads/x")).put(oneShot)
                .tag(AuthTarget.class, AuthTarget.of(REGISTRY, Scope.repository("foo", "pull", "push"))).build();
        try (Response r = client(new Credential.Basic("a", "b")).newCall(put).execute()) {
            assertEquals(401, r.code());
        }
        assertEquals(1, registry.getRequestCount());
    }

    @Test
    void aRelativeRealmIsResolvedAgainstTheRegistry() throws Exception {
        registry.enqueue(challenge("Bearer realm=\"/token\",service=\"s\""));
        registry.enqueue(json("{\"token\":\"REL\"}"));
        registry.enqueue(ok());
        assertEquals(200, code(client(new Credential.Anonymous()), "/v2/", AuthTarget.of(REGISTRY)));
        take(registry);
        assertEquals("/token?service=s", take(registry).getPath());
        assertEquals("Bearer REL", take(registry).getHeader("Authorization"));
    }

    @Test
    void credentialsAreNotSentToAPlainHttpRealmOfAnHttpsRegistry() throws Exception {
        String realm = auth.url("/token").toString();
        OkHttpClient client = tokenClient.newBuilder()
                .addInterceptor(new RegistryAuthInterceptor(r -> new Credential.Basic("alice", "pw"), tokenClient, clock))
                .addInterceptor(chain -> new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1)
                        .code(401).message("Unauthorized")
                        .header("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"s\"")
                        .body(ResponseBody.create("", null)).build())
                .build();
        Request request = new Request.Builder().url("https://registry.example/v2/").tag(AuthTarget.class, AuthTarget.of(REGISTRY)).build();
        RegctlException e = assertThrows(RegctlException.class, () -> client.newCall(request).execute());
        assertTrue(e.getMessage().contains("plain-HTTP token realm"), e.getMessage());
        assertEquals(0, auth.getRequestCount());
    }

    @Test
    void credentialsAreLookedUpOncePerRegistryAndOnlyWhenAsked() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        OkHttpClient client = tokenClient.newBuilder().addInterceptor(new RegistryAuthInterceptor(r -> {
            lookups.incrementAndGet();
            return new Credential.Basic("alice", "pw");
        }, tokenClient, clock)).build();
        registry.enqueue(ok());
        code(client, "/v2/", AuthTarget.of(REGISTRY));
        assertEquals(0, lookups.get(), "an open registry never costs a helper run");
        registry.enqueue(challenge("Basic realm=\"r\""));
        registry.enqueue(ok());
        registry.enqueue(ok());
        code(client, "/v2/", AuthTarget.of(REGISTRY));
        code(client, "/v2/", AuthTarget.of(REGISTRY));
        assertEquals(1, lookups.get());
    }

    @Test
    void anExistingAuthorizationHeaderIsLeftAlone() throws Exception {
        registry.enqueue(challenge("Basic realm=\"r\""));
        Request request = new Request.Builder().url(registry.url("/v2/")).header("Authorization", "Bearer mine")
                .tag(AuthTarget.class, AuthTarget.of(REGISTRY)).build();
        try (Response r = client(new Credential.Basic("a", "b")).newCall(request).execute()) {
            assertEquals(401, r.code());
        }
        assertEquals("Bearer mine", take(registry).getHeader("Authorization"));
        assertEquals(1, registry.getRequestCount());
    }

    @Test
    void aChallengeWithoutAnySchemeWeSpeakIsReturned() throws Exception {
        registry.enqueue(challenge("Negotiate"));
        assertEquals(401, code(client(new Credential.Basic("a", "b")), "/v2/", AuthTarget.of(REGISTRY)));
        assertEquals(1, registry.getRequestCount());
    }

    @Test
    void aTokenFetchedForOneRegistryIsNeverSentToAnotherThatNamesTheSameRealm() throws Exception {
        bothChallengeOnce(bearer(null));
        auth.enqueue(json("{\"token\":\"ALICE\",\"expires_in\":300}"));
        auth.enqueue(json("{\"token\":\"ANON\",\"expires_in\":300}"));
        OkHttpClient client = client(Map.of(REGISTRY, new Credential.Basic("alice", "pw")));
        AuthTarget evilPull = AuthTarget.of(EVIL, Scope.repository("foo", "pull"));

        assertEquals(200, code(client, registry.url("/v2/foo/tags/list"), PULL_FOO));
        assertEquals(200, code(client, evil.url("/v2/foo/tags/list"), evilPull));

        assertEquals("Basic " + CredentialResolverTest.b64("alice:pw"), take(auth).getHeader("Authorization"));
        RecordedRequest forEvil = take(auth);
        assertNull(forEvil.getHeader("Authorization"), "the other registry's own (absent) credential is used");
        assertEquals("Bearer ANON", authorizationOfTheRetry(evil));
    }

    @Test
    void anotherRegistryAskingForPushNeverGetsThePushTokenOfTheRegistryWhoseRealmItNames() throws Exception {
        AuthTarget pushFoo = AuthTarget.of(REGISTRY, Scope.repository("foo", "pull", "push"));
        bothChallengeOnce(bearer("repository:foo:push"));
        auth.enqueue(json("{\"token\":\"PUSH\",\"expires_in\":300}"));
        auth.enqueue(json("{\"token\":\"NOTHING\",\"expires_in\":300}"));
        OkHttpClient client = client(Map.of(REGISTRY, new Credential.Basic("alice", "pw")));

        assertEquals(200, code(client, registry.url("/v2/foo/blobs/uploads/"), pushFoo));
        assertEquals(200, code(client, evil.url("/v2/foo/blobs/sha256:" + "a".repeat(64)),
                AuthTarget.of(EVIL, Scope.repository("foo", "pull"))));

        take(auth);
        RecordedRequest forEvil = take(auth);
        assertNull(forEvil.getHeader("Authorization"));
        assertEquals(List.of("repository:foo:pull,push"), forEvil.getRequestUrl().queryParameterValues("scope"));
        assertEquals("Bearer NOTHING", authorizationOfTheRetry(evil));
    }

    @Test
    void aRefreshTokenIssuedForOneRegistryIsNeverTradedForAnother() throws Exception {
        bothChallengeOnce(bearer("repository:secret:pull"));
        auth.enqueue(json("{\"access_token\":\"A1\",\"refresh_token\":\"R2\",\"expires_in\":300}"));
        auth.enqueue(json("{\"token\":\"ANON\",\"expires_in\":300}"));
        OkHttpClient client = client(Map.of(REGISTRY, new Credential.IdentityToken("<token>", "R1")));

        assertEquals(200, code(client, registry.url("/v2/foo/tags/list"), PULL_FOO));
        assertEquals(200, code(client, evil.url("/v2/secret/tags/list"),
                AuthTarget.of(EVIL, Scope.repository("secret", "pull"))));

        assertEquals("R1", form(take(auth)).get("refresh_token"));
        RecordedRequest forEvil = take(auth);
        assertEquals("GET", forEvil.getMethod(), "no refresh grant on another registry's behalf");
        assertNull(forEvil.getHeader("Authorization"));
        assertEquals("Bearer ANON", authorizationOfTheRetry(evil));
    }

    @Test
    void everyTokenRequestNamesTheRegistryItIsFor() throws Exception {
        List<RequestFor> tagged = new ArrayList<>();
        OkHttpClient recordingTokenClient = tokenClient.newBuilder()
                .addInterceptor(chain -> {
                    tagged.add(chain.request().tag(RequestFor.class));
                    return chain.proceed(chain.request());
                }).build();
        OkHttpClient client = tokenClient.newBuilder()
                .addInterceptor(new RegistryAuthInterceptor(r -> new Credential.Basic("alice", "pw"), recordingTokenClient, clock))
                .build();
        registry.enqueue(challenge(bearer(null)));
        registry.enqueue(ok());
        auth.enqueue(new MockResponse().setResponseCode(405));
        auth.enqueue(json("{\"access_token\":\"P\"}"));
        assertEquals(200, code(client, registry.url("/v2/foo/tags/list"), PULL_FOO));
        assertEquals(List.of(new RequestFor(REGISTRY), new RequestFor(REGISTRY)), tagged, "the GET and the POST fallback");
    }

    // --- helpers

    /** {@link #registry} challenges with its realm, {@link #evil} with {@code evilChallenge}; each then answers 200 once. */
    private void bothChallengeOnce(String evilChallenge) {
        registry.enqueue(challenge(bearer(null)));
        registry.enqueue(ok());
        evil.enqueue(challenge(evilChallenge));
        evil.enqueue(ok());
    }

    /** The Authorization a server was sent after its one challenge. */
    private static String authorizationOfTheRetry(MockWebServer server) throws InterruptedException {
        take(server);
        return take(server).getHeader("Authorization");
    }

    /** A client whose registries have these credentials; any other registry is anonymous. */
    private OkHttpClient client(Map<String, Credential> byRegistry) {
        return tokenClient.newBuilder()
                .addInterceptor(new RegistryAuthInterceptor(
                        r -> byRegistry.getOrDefault(r, new Credential.Anonymous()), tokenClient, clock))
                .build();
    }

    private OkHttpClient client(Credential credential) {
        return tokenClient.newBuilder()
                .addInterceptor(new RegistryAuthInterceptor(r -> {
                    assertEquals(REGISTRY, r);
                    return credential;
                }, tokenClient, clock))
                .build();
    }

    private Response call(OkHttpClient client, String path, AuthTarget target) throws IOException {
        return client.newCall(new Request.Builder().url(registry.url(path)).tag(AuthTarget.class, target).build()).execute();
    }

    private static int code(OkHttpClient client, HttpUrl url, AuthTarget target) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url(url).tag(AuthTarget.class, target).build()).execute()) {
            return r.code();
        }
    }

    private int code(OkHttpClient client, String path, AuthTarget target) throws IOException {
        try (Response r = call(client, path, target)) {
            return r.code();
        }
    }

    private String bearer(String scope) {
        return "Bearer realm=\"" + auth.url("/token") + "\",service=\"registry.test\""
                + (scope == null ? "" : ",scope=\"" + scope + "\"");
    }

    private static MockResponse challenge(String wwwAuthenticate) {
        return new MockResponse().setResponseCode(401).addHeader("WWW-Authenticate", wwwAuthenticate)
                .addHeader("Content-Type", "application/json").setBody(UNAUTHORIZED_BODY);
    }

    /** The next request the server saw; fails instead of hanging when there is none. */
    static RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(r, "expected another request");
        return r;
    }

    private static MockResponse ok() {
        return new MockResponse().setResponseCode(200).setBody("{}");
    }

    private static MockResponse json(String body) {
        return new MockResponse().setResponseCode(200).addHeader("Content-Type", "application/json").setBody(body);
    }

    /** The form fields of an OAuth2 POST, asserting it is one. */
    static Map<String, String> form(RecordedRequest request) {
        assertEquals("POST", request.getMethod());
        assertTrue(request.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
        HttpUrl parsed = HttpUrl.get("http://x/?" + request.getBody().readString(StandardCharsets.UTF_8));
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String name : parsed.queryParameterNames()) {
            assertEquals(1, parsed.queryParameterValues(name).size(), name);
            fields.put(name, parsed.queryParameter(name));
        }
        assertFalse(fields.isEmpty());
        return fields;
    }
}
