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
        assertEquals("https://h/cb?echo=Basic%20[redacted]", HttpTrace.redactUrl("https://h/cb?echo=Basic%20" + pair));
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

    private static final String JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLV8";

    @Test
    void queryValuesWhoseNamesLookSecretAreRedactedAndTheRestKept() {
        String url = "https://storage.example/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam"
                + "&X-Goog-Date=20250101T000000Z&X-Goog-Signature=9f8e&sig=abc&jwt=j1&apikey=k1&api_key=k2&key=k3"
                + "&AUTH=a1&secret=s1&client_secret=s2&Token=t1&x-amz-credential=AKIA&service=registry.example"
                + "&scope=repository:team/app:pull&n=100&last=v1.2.3";
        assertEquals("https://storage.example/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=[redacted]"
                + "&X-Goog-Date=20250101T000000Z&X-Goog-Signature=[redacted]&sig=[redacted]&jwt=[redacted]"
                + "&apikey=[redacted]&api_key=[redacted]&key=[redacted]&AUTH=[redacted]&secret=[redacted]"
                + "&client_secret=[redacted]&Token=[redacted]&x-amz-credential=[redacted]&service=registry.example"
                + "&scope=repository:team/app:pull&n=100&last=v1.2.3", HttpTrace.redactUrl(url));
    }

    @Test
    void headersWhoseNamesLookSecretAreRedactedWhole() {
        for (String name : new String[] {"X-Auth-Token", "X-Registry-Token", "Private-Token", "X-Goog-Credential",
            "X-Api-Key", "X-Registry-Auth", "x-amz-security-token", "X-Client-Secret"}) {
            assertEquals("[redacted]", HttpTrace.redactHeader(name, "opaque-value-123"), name);
        }
        // Challenges, versions and digests are what one debugs with -v.
        for (String[] kept : new String[][] {{"WWW-Authenticate", "Bearer realm=\"https://a.example/token\""},
            {"Proxy-Authenticate", "Basic realm=\"corp\""}, {"Docker-Distribution-Api-Version", "registry/2.0"},
            {"Docker-Content-Digest", "sha256:" + "ab".repeat(32)}, {"Keep-Alive", "timeout=5"}}) {
            assertEquals(kept[1], HttpTrace.redactHeader(kept[0], kept[1]), kept[0]);
        }
    }

    @Test
    void aJwtIsRedactedInAnyHeaderButHostNamesAreNot() {
        assertEquals("issued [redacted] for you", HttpTrace.redactHeader("X-Debug", "issued " + JWT + " for you"));
        assertEquals("unsigned [redacted]", HttpTrace.redactHeader("X-Debug", "unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."));
        assertEquals("registry.example.com:5000 team.app.v1", HttpTrace.redactHeader("X-Debug", "registry.example.com:5000 team.app.v1"));
    }

    @Test
    void theTraceRedactsSecretsInTheRequestLineLocationAndLink() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setResponseCode(307)
                    .addHeader("Location", "https://storage.example/o?X-Goog-Credential=sa%40p&X-Goog-Signature=5ec7e7&n=1")
                    .addHeader("Link", "</v2/_catalog?last=b&n=1&token=l1nk-t0k>; rel=\"next\"")
                    .addHeader("X-Auth-Token", "hdr-t0k")
                    .addHeader("X-Echo", "Bearer " + JWT));
            StringWriter sink = new StringWriter();
            OkHttpClient client = new OkHttpClient.Builder().followRedirects(false)
                    .addNetworkInterceptor(new HttpTrace(new PrintWriter(sink))).build();
            Request r = new Request.Builder().url(server.url("/v2/x/blobs/sha256:ab?jwt=" + JWT + "&apikey=k3y")).build();
            try (Response ignored = client.newCall(r).execute()) {
                // consumed
            }
            String trace = sink.toString();
            for (String secret : new String[] {"sa%40p", "5ec7e7", "l1nk-t0k", "hdr-t0k", "eyJ", "k3y"}) {
                assertFalse(trace.contains(secret), secret + " in " + trace);
            }
            assertTrue(trace.contains("> GET " + server.url("/v2/x/blobs/sha256:ab") + "?jwt=[redacted]&apikey=[redacted]"), trace);
            assertTrue(trace.contains("Link: </v2/_catalog?last=b&n=1&token=[redacted]>; rel=\"next\""), trace);
            assertTrue(trace.contains("X-Goog-Signature=[redacted]&n=1"), trace);
        }
    }
}
