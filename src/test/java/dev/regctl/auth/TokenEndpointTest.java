package dev.regctl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.time.Clock;
import java.util.List;
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

    private Object fetch() throws Exception {
        return endpoint.fetch("r.example", server.url("/token"), "r.example", List.of("repository:app:pull"), ALICE);
    }
}
