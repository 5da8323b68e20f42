package dev.regctl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.http.RetryInterceptor;
import dev.regctl.http.RetryPolicy;
import dev.regctl.http.Transport;
import dev.regctl.http.TransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenEndpointTest {
    private static final Credential.Basic ALICE = new Credential.Basic("alice", "s3cr3t-pw");
    private static final String PAIR = okhttp3.Credentials.basic("alice", "s3cr3t-pw").substring("Basic ".length());

    MockWebServer server;
    Transport transport;
    TokenEndpoint endpoint;

    /** The endpoint on the token client a run's {@link Transport} hands the auth layer, as in production. */
    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        AtomicReference<Call.Factory> tokenClient = new AtomicReference<>();
        transport = new Transport(new TransportOptions(false, null, List.of()), List.of(), client -> {
            tokenClient.set(client);
            return chain -> chain.proceed(chain.request());
        });
        endpoint = new TokenEndpoint(tokenClient.get(), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        server.shutdown();
    }

    @Test
    void aRefusalThatEchoesAuthorizationNamesNoPairInTheMessage() {
        server.enqueue(new MockResponse().setResponseCode(401).setBody(
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials: Authorization: Basic " + PAIR + "\"}]}"));
        RegctlException e = assertThrows(RegctlException.class, this::fetch);
        assertEquals(RegctlException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("bad credentials: Authorization: Basic "), e.getMessage());
        assertFalse(e.getMessage().contains(PAIR), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t-pw"), e.getMessage());
    }

    @Test
    void aFailureWhosePlainBodyEchoesTheRequestNamesNoPairOrToken() {
        // 400, which no client retries: a 500 would be retried through the run's back-off first
        server.enqueue(new MockResponse().setResponseCode(400).setBody(
                "GET /token HTTP/1.1\nAuthorization: Basic " + PAIR + "\n{\"token\":\"leaked-t0ken\"}"));
        RegctlException e = assertThrows(RegctlException.class, this::fetch);
        assertFalse(e.getMessage().contains(PAIR), e.getMessage());
        assertFalse(e.getMessage().contains("leaked-t0ken"), e.getMessage());
    }

    @Test
    void aTokenAboveTheBoundIsRefusedNamingTheRealmAndSizeButNotTheToken() {
        String huge = "eyJ" + "A".repeat(900 * 1024);
        server.enqueue(new MockResponse().setBody("{\"token\":\"" + huge + "\",\"expires_in\":300}"));
        RegctlException e = assertThrows(RegctlException.class, this::fetch);
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertEquals("get a token from " + server.getHostName() + ":" + server.getPort() + " for r.example: the token server sent a token of "
                + huge.length() + " bytes, more than the " + TokenEndpoint.MAX_TOKEN + " regctl accepts", e.getMessage());
        assertFalse(e.getMessage().contains("AAAA"));
    }

    @Test
    void aTokenAtTheBoundIsAccepted() throws Exception {
        String large = "t".repeat(TokenEndpoint.MAX_TOKEN);
        server.enqueue(new MockResponse().setBody("{\"token\":\"" + large + "\"}"));
        assertEquals(large, ((java.util.Optional<?>) fetch()).map(t -> ((BearerToken) t).value()).orElseThrow());
    }

    @Test
    void aTlsFailureAtTheRealmNamesTheRealmNotTheRegistry() throws Exception {
        // a realm that answers a TLS hello with plain HTTP, as a misconfigured token server does
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the test reports what the client saw
                }
            });
            answer.start();
            HttpUrl realm = HttpUrl.get("https://127.0.0.1:" + plain.getLocalPort() + "/token");
            RegctlException e = assertThrows(RegctlException.class, () -> endpoint.fetch(
                    new RealmAccount("r.example", ALICE, realm, "r.example"), List.of("repository:app:pull")));
            answer.join(5000);
            assertEquals(RegctlException.Kind.FAILURE, e.kind());
            assertEquals("get a token from 127.0.0.1:" + plain.getLocalPort() + " for r.example: 127.0.0.1:"
                    + plain.getLocalPort() + " speaks plain HTTP, not HTTPS", e.getMessage());
            assertEquals("its URL says https://, but the server there speaks plain HTTP", e.hint(),
                    "no CA would help, and --insecure is not for realms");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {307, 308})
    void aRefreshGrantRedirectedToAnotherOriginNeverReachesItAndFailsInOneLine(int status) throws Exception {
        try (MockWebServer other = new MockWebServer()) {
            other.start();
            other.enqueue(new MockResponse().setBody("{\"access_token\":\"STOLEN\"}"));
            server.enqueue(new MockResponse().setResponseCode(status).setHeader("Location", other.url("/steal")));

            RegctlException e = assertThrows(RegctlException.class, () -> fetch("r.example",
                    new Credential.IdentityToken("<token>", "identity-s3cret")));

            assertEquals(0, other.getRequestCount(), "the refresh token went to another origin");
            assertRedirectRefusal(e, other, "identity-s3cret");
        }
    }

    @Test
    void aPasswordGrantRedirectedToAnotherOriginNeverReachesIt() throws Exception {
        try (MockWebServer other = new MockWebServer()) {
            other.start();
            other.enqueue(new MockResponse().setBody("{\"access_token\":\"STOLEN\"}"));
            server.enqueue(new MockResponse().setResponseCode(405));
            server.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", other.url("/steal")));

            RegctlException e = assertThrows(RegctlException.class, this::fetch);

            assertEquals(0, other.getRequestCount(), "the password went to another origin");
            assertEquals("GET", take(server).getMethod());
            assertEquals("POST", take(server).getMethod());
            assertRedirectRefusal(e, other, ALICE.password());
        }
    }

    @Test
    void aBasicGetRedirectedToAnotherOriginGivesNoTokenAndTheOtherOriginNoCredential() throws Exception {
        try (MockWebServer other = redirectedTo("{\"token\":\"FROM-ELSEWHERE\"}")) {

            RegctlException e = assertThrows(RegctlException.class, this::fetch);

            RecordedRequest atOther = other.takeRequest(1, TimeUnit.SECONDS);
            if (atOther != null) {
                assertNull(atOther.getHeader("Authorization"));
            }
            assertRedirectRefusal(e, other, ALICE.password());
        }
    }

    @Test
    void aRedirectWithinTheRealmsOriginIsFollowedForAGet() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", "/token/"));
        server.enqueue(new MockResponse().setBody("{\"token\":\"T\"}"));
        assertEquals("T", token(fetch()));
        take(server);
        assertEquals("Basic " + PAIR, take(server).getHeader("Authorization"));
    }

    /** Same origin or not, a POST's redirect is not followed: its form carries the secret. */
    @Test
    void aRefreshGrantRedirectedWithinTheRealmsOriginIsNotFollowedEither() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", "/token/"));
        server.enqueue(new MockResponse().setBody("{\"access_token\":\"A\"}"));
        RegctlException e = assertThrows(RegctlException.class, () -> fetch("r.example",
                new Credential.IdentityToken("<token>", "identity-s3cret")));
        assertEquals(1, server.getRequestCount());
        assertTrue(e.getMessage().contains("redirected the request to http://" + server.getHostName() + ":" + server.getPort()),
                e.getMessage());
        assertFalse(e.getMessage().contains("identity-s3cret"), e.getMessage());
    }

    /** An anonymous GET carries nothing to protect: it is followed elsewhere, as docker does, without Authorization. */
    @Test
    void anAnonymousGetRedirectedToAnotherOriginIsFollowed() throws Exception {
        try (MockWebServer other = redirectedTo("{\"token\":\"ANON\"}")) {
            assertEquals("ANON", token(fetch("r.example", new Credential.Anonymous())));
            assertNull(take(other).getHeader("Authorization"));
        }
    }

    @Test
    void aRealmRedirectingForeverIsLeftAfterAFewHopsInOneLine() {
        for (int i = 0; i < 10; i++) {
            server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/token/" + i));
        }
        RegctlException e = assertThrows(RegctlException.class, () -> fetch("r.example", new Credential.Anonymous()));
        assertEquals(6, server.getRequestCount(), "the GET and five redirects");
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().startsWith("r.example: token request failed: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aRefreshGrantAnsweredWithABusyServerIsStillRetried() throws Exception {
        endpoint = new TokenEndpoint(new OkHttpClient.Builder().followRedirects(false)
                .addInterceptor(new RetryInterceptor(RetryPolicy.DEFAULT, d -> { })).build(), Clock.systemUTC());
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setBody("{\"access_token\":\"A\"}"));
        assertEquals("A", token(fetch("r.example", new Credential.IdentityToken("<token>", "R1"))));
        assertEquals("R1", RegistryAuthInterceptorTest.form(take(server)).get("refresh_token"));
        assertEquals("R1", RegistryAuthInterceptorTest.form(take(server)).get("refresh_token"));
    }

    @Test
    void aRefreshTokenTheServerIssuedServesOnlyTheRegistryAndCredentialItWasIssuedFor() throws Exception {
        Credential.IdentityToken alice = new Credential.IdentityToken("<token>", "R1");
        server.enqueue(new MockResponse().setBody("{\"access_token\":\"A1\",\"refresh_token\":\"R2\"}"));
        server.enqueue(new MockResponse().setBody("{\"token\":\"ANON\"}"));
        server.enqueue(new MockResponse().setBody("{\"access_token\":\"OTHER\"}"));
        server.enqueue(new MockResponse().setBody("{\"access_token\":\"A2\"}"));

        fetch("r.example", alice);
        fetch("evil.example", new Credential.Anonymous());
        fetch("r.example", new Credential.IdentityToken("<token>", "R9"));
        fetch("r.example", alice);

        assertEquals("R1", RegistryAuthInterceptorTest.form(take(server)).get("refresh_token"));
        RecordedRequest forEvil = take(server);
        assertEquals("GET", forEvil.getMethod(), "another registry gets no refresh grant");
        assertNull(forEvil.getHeader("Authorization"));
        assertEquals("R9", RegistryAuthInterceptorTest.form(take(server)).get("refresh_token"), "another credential keeps its own");
        assertEquals("R2", RegistryAuthInterceptorTest.form(take(server)).get("refresh_token"));
    }

    /** Another origin answering {@code body}, to which the realm's next answer, a 302, points. */
    private MockWebServer redirectedTo(String body) throws IOException {
        MockWebServer other = new MockWebServer();
        other.start();
        other.enqueue(new MockResponse().setBody(body));
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", other.url("/token")));
        return other;
    }

    /** One line naming the origin the server pointed to, and no secret. */
    private static void assertRedirectRefusal(RegctlException e, MockWebServer other, String secret) {
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        String origin = other.getHostName() + ":" + other.getPort();
        assertTrue(e.getMessage().contains("redirected") && e.getMessage().contains(origin), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        assertFalse(e.getMessage().contains("STOLEN") || e.getMessage().contains("FROM-ELSEWHERE"), e.getMessage());
    }

    private static String token(Object fetched) {
        return ((java.util.Optional<?>) fetched).map(t -> ((BearerToken) t).value()).orElseThrow();
    }

    private Object fetch(String registry, Credential credential) throws Exception {
        return endpoint.fetch(new RealmAccount(registry, credential, server.url("/token"), "r.example"),
                List.of("repository:app:pull"));
    }

    private Object fetch() throws Exception {
        return fetch("r.example", ALICE);
    }

    private static RecordedRequest take(MockWebServer server) throws InterruptedException {
        return RegistryAuthInterceptorTest.take(server);
    }
}
