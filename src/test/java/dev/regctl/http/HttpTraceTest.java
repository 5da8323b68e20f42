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
}
