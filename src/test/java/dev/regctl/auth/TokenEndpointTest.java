package dev.regctl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenEndpointTest {
    private static final Credential.Basic ALICE = new Credential.Basic("alice", "s3cr3t-pw");
    private static final String PAIR = okhttp3.Credentials.basic("alice", "s3cr3t-pw").substring("Basic ".length());

    MockWebServer server;
    TokenEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        endpoint = new TokenEndpoint(new OkHttpClient(), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
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
        server.enqueue(new MockResponse().setResponseCode(500).setBody(
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
            RegctlException e = assertThrows(RegctlException.class, () -> endpoint.fetch("r.example", realm, "r.example",
                    List.of("repository:app:pull"), ALICE));
            answer.join(5000);
            assertEquals(RegctlException.Kind.FAILURE, e.kind());
            assertEquals("get a token from 127.0.0.1:" + plain.getLocalPort() + " for r.example: 127.0.0.1:"
                    + plain.getLocalPort() + " speaks plain HTTP, not HTTPS", e.getMessage());
            assertEquals("its URL says https://, but the server there speaks plain HTTP", e.hint(),
                    "no CA would help, and --insecure is not for realms");
        }
    }

    private Object fetch() throws Exception {
        return endpoint.fetch("r.example", server.url("/token"), "r.example", List.of("repository:app:pull"), ALICE);
    }
}
