package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

class HttpTraceTest {

    @Test
    void redactsAuthorizationButKeepsScheme() {
        assertEquals("Bearer [redacted]", HttpTrace.redactHeader("Authorization", "Bearer eyJhbGciOi.secret"));
        assertEquals("Basic [redacted]", HttpTrace.redactHeader("authorization", "Basic YWxpY2U6czNjcjN0"));
        assertEquals("[redacted]", HttpTrace.redactHeader("Set-Cookie", "session=abc"));
        assertEquals("application/json", HttpTrace.redactHeader("Content-Type", "application/json"));
    }

    @Test
    void redactsSecretsInUrls() {
        assertEquals("https://s3.example/blob?X-Amz-Signature=[redacted]&x=1",
                HttpTrace.redactUrl("https://s3.example/blob?X-Amz-Signature=abcdef&x=1"));
        assertEquals("https://[redacted]@host/v2/", HttpTrace.redactUrl("https://user:pw@host/v2/"));
        assertEquals("https://auth/token?service=r&access_token=[redacted]",
                HttpTrace.redactUrl("https://auth/token?service=r&access_token=tok"));
    }

    @Test
    void traceShowsRequestAndResponseWithoutSecrets() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setResponseCode(200).addHeader("Docker-Distribution-Api-Version", "registry/2.0"));
            StringWriter sink = new StringWriter();
            OkHttpClient client = new OkHttpClient.Builder()
                    .addNetworkInterceptor(new HttpTrace(new PrintWriter(sink))).build();
            Request r = new Request.Builder().url(server.url("/v2/"))
                    .header("Authorization", "Bearer top-secret-token").build();
            try (Response ignored = client.newCall(r).execute()) {
                // consumed
            }
            String trace = sink.toString();
            assertTrue(trace.contains("> GET " + server.url("/v2/")), trace);
            assertTrue(trace.contains("< 200"), trace);
            assertTrue(trace.contains("Authorization: Bearer [redacted]"), trace);
            assertFalse(trace.contains("top-secret-token"), trace);
        }
    }

    @Test
    void basicAndBearerValuesAreRedactedInEveryHeaderAndUrl() {
        String pair = "YWxpY2U6czNjcjN0";
        assertEquals("you sent Basic [redacted]", HttpTrace.redactHeader("X-Echo", "you sent Basic " + pair + "=="));
        assertEquals("Bearer [redacted], again", HttpTrace.redactHeader("X-Echo", "Bearer eyJhbGciOi.eyJzdWIi.c2ln-_, again"));
        assertEquals("https://h/cb?auth=Basic%20[redacted]", HttpTrace.redactUrl("https://h/cb?auth=Basic%20" + pair));
        // a challenge is what one debugs: its parameters are not credentials
        assertEquals("Bearer realm=\"https://auth.example/token\",service=\"r.example\"",
                HttpTrace.redactHeader("WWW-Authenticate", "Bearer realm=\"https://auth.example/token\",service=\"r.example\""));
        assertEquals("Basic realm=\"regctl-it\"", HttpTrace.redactHeader("Www-Authenticate", "Basic realm=\"regctl-it\""));
    }

    @Test
    void aTokenServerEchoingAuthorizationLeavesNoPairInTheTrace() throws Exception {
        String pair = okhttp3.Credentials.basic("alice", "s3cr3t-pw");
        String base64 = pair.substring("Basic ".length());
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setResponseCode(401)
                    .addHeader("X-Echo-Authorization", pair)
                    .addHeader("Location", "https://elsewhere.example/?h=" + pair.replace(' ', '+'))
                    .setBody("{\"errors\":[{\"message\":\"you sent " + pair + "\"}],\"token\":\"t0k3n-value\"}"));
            StringWriter sink = new StringWriter();
            OkHttpClient client = new OkHttpClient.Builder().followRedirects(false)
                    .addNetworkInterceptor(new HttpTrace(new PrintWriter(sink))).build();
            Request r = new Request.Builder().url(server.url("/token?service=r")).header("Authorization", pair).build();
            try (Response ignored = client.newCall(r).execute()) {
                // consumed
            }
            String trace = sink.toString();
            assertTrue(trace.contains("X-Echo-Authorization: Basic [redacted]"), trace);
            assertFalse(trace.contains(base64), trace);
            assertFalse(trace.contains("t0k3n-value"), trace);
        }
    }

    @Test
    void secretTextMasksCredentialsAndTokenFieldsAnywhere() {
        String body = "{\"token\": \"eyJ.a.b\", \"access_token\":\"at\", \"refresh_token\":\"rt\\\"x\","
                + " \"password\":\"pw\", \"identitytoken\":\"it\", \"expires_in\": 60,"
                + " \"detail\": \"Authorization: Basic YWxpY2U6czNjcjN0 and bearer abc.DEF-123\"}";
        String out = SecretText.redact(body);
        for (String secret : new String[] {"eyJ.a.b", "\"at\"", "rt\\\"x", "\"pw\"", "\"it\"", "YWxpY2U6czNjcjN0", "abc.DEF-123"}) {
            assertFalse(out.contains(secret), secret + " in " + out);
        }
        assertTrue(out.contains("\"expires_in\": 60"), out);
        assertTrue(out.contains("\"token\": \"[redacted]\""), out);
        // English after the scheme words is not a credential and stays readable
        assertEquals("Basic auth failed; Bearer token expired", SecretText.redact("Basic auth failed; Bearer token expired"));
    }
}
