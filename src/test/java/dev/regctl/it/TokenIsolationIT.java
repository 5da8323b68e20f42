package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.cli.InProcessRun;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import dev.regctl.it.support.TokenRequest;
import dev.regctl.it.support.TokenServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile registry in the same run as the user's private one: {@code corp}, a real token-auth
 * docker-registry the user is logged in to, and {@code evil}, a loopback server under another
 * name that answers every request with corp's own public challenge. Whatever regctl fetches on
 * evil's behalf is replayed against corp: it must open nothing there. And a token realm that
 * redirects a request carrying the user's secret gets it no further.
 */
class TokenIsolationIT {
    private static final String ALICE_PW = "alice-Secret-5d1e";
    private static final Duration GATE = Duration.ofSeconds(10);

    @TempDir
    static Path work;
    @AutoClose
    static TokenServer tokens;
    @AutoClose
    static RegistryServer corp;
    static Path dockerConfig;

    MockWebServer evil;
    final List<String> bearersAtEvil = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        tokens = TokenServer.builder()
                .user("alice", ALICE_PW).grant("alice", "team/*", "pull", "push")
                .refreshTokensAlways()
                .start();
        corp = RegistryServer.token(tokens).start();
        try (Seeder seeder = Seeder.withBearer(corp, repo -> tokens.mintToken("seeder", "repository:" + repo + ":pull,push"))) {
            seeder.tags("team/app", List.of("1"));
        }
        dockerConfig = Files.createDirectories(work.resolve("docker-config"));
        String auth = Base64.getEncoder().encodeToString(("alice:" + ALICE_PW).getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"),
                "{\"auths\":{\"" + corp.host() + "\":{\"auth\":\"" + auth + "\"}}}");
    }

    @BeforeEach
    void forgetTokenRequests() {
        tokens.clearRequests();
    }

    @AfterEach
    void stopEvil() throws IOException {
        if (evil != null) {
            evil.shutdown();
        }
    }

    @Test
    void aHostileRegistryNamingTheUsersRealmInTheSameRunGetsNoTokenThatReadsThePrivateRegistry() throws IOException {
        // evil challenges only once corp has alice's token, as when it is the later of two references
        startEvil(issuedToAlice("pull"), null, false);

        String corpLine = regctl("inspect", corp.host() + "/team/app:1", evilHost() + "/team/app:1");

        assertTrue(corpLine.startsWith(corp.host() + "/team/app:1\tsha256:"), "the user's own read works: " + corpLine);
        assertFalse(bearersAtEvil.isEmpty(), "evil's challenge was answered, so the test means something");
        for (String token : bearersAtEvil) {
            assertEquals(401, replay(token, "GET", "/v2/team/app/tags/list"), "evil can read corp with " + jwtSubject(token));
        }
    }

    @Test
    void aHostileSourceAskingForPushOnBlobReadsGetsNoTokenThatWritesTheDestination() throws IOException {
        // the manifest is open; blobs are challenged with push once alice holds corp's push token
        startEvil(null, issuedToAlice("push"), true);
        long manifestPuts = corp.countRequests("PUT", "/v2/team/app/manifests/.*");

        regctl("copy", evilHost() + "/team/app:1", corp.host() + "/team/app:2");

        assertFalse(bearersAtEvil.isEmpty(), "evil's challenge was answered, so the test means something");
        for (String token : bearersAtEvil) {
            assertNotEquals(202, replay(token, "POST", "/v2/team/app/blobs/uploads/"),
                    "evil can push to corp with " + jwtSubject(token));
        }
        assertEquals(manifestPuts, corp.countRequests("PUT", "/v2/team/app/manifests/.*"));
    }

    @Test
    void theUsersRefreshTokenIsNeverTradedForAScopeAHostileRegistryNames() throws IOException {
        startEvil(issuedToAlice("pull"), null, false);

        String corpLine = regctl("inspect", corp.host() + "/team/app:1", evilHost() + "/team/secret:1");

        assertTrue(corpLine.startsWith(corp.host() + "/team/app:1\tsha256:"), "the user's own read works: " + corpLine);
        assertTrue(tokens.requests().stream().noneMatch(r -> r.user().equals("alice")
                && r.scopes().stream().anyMatch(s -> s.contains("team/secret"))), tokens.requests()::toString);
        assertFalse(bearersAtEvil.isEmpty(), "evil's challenge was answered, so the test means something");
        for (String token : bearersAtEvil) {
            assertEquals(401, replay(token, "GET", "/v2/team/secret/tags/list"), "evil can read corp with " + jwtSubject(token));
        }
    }

    @Test
    void aRealmRedirectingTheRefreshGrantElsewhereNeverHandsTheIdentityTokenOnAndTheUserGetsOneLine()
            throws IOException {
        String identityToken = "identity-Secret-0b7c";
        try (MockWebServer registry = new MockWebServer();
             MockWebServer realm = new MockWebServer();
             MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.enqueue(new MockResponse().setBody("{\"access_token\":\"from-elsewhere\"}"));
            elsewhere.start();
            realm.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse().setResponseCode(307).setHeader("Location", elsewhere.url("/token"));
                }
            });
            realm.start();
            registry.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse().setResponseCode(401)
                            .setHeader("WWW-Authenticate", "Bearer realm=\"" + realm.url("/token") + "\",service=\"r\"");
                }
            });
            registry.start();
            String host = registry.getHostName() + ":" + registry.getPort();
            Path config = Files.createDirectories(work.resolve("docker-config-identity"));
            Files.writeString(config.resolve("config.json"),
                    "{\"auths\":{\"" + host + "\":{\"identitytoken\":\"" + identityToken + "\"}}}");

            InProcessRun run = InProcessRun.of(config, "tags", host + "/team/app");

            assertEquals(0, elsewhere.getRequestCount(), "the identity token went to another origin");
            assertEquals(1, run.exit(), run::toString);
            assertEquals("", run.out(), run::toString);
            List<String> lines = run.err().lines().toList();
            assertEquals(1, lines.size(), run::toString);
            assertTrue(lines.get(0).startsWith("regctl: ") && lines.get(0).contains("redirected the request to "
                    + "http://" + elsewhere.getHostName() + ":" + elsewhere.getPort()), run::toString);
            assertFalse(run.err().contains(identityToken), run::toString);
        }
    }

    // --- the hostile registry

    /**
     * Starts evil: blob reads are challenged for push with corp's realm and service (once
     * {@code blobChallengeAfter} has been issued, if given), the image manifest of
     * {@code team/app:1} is served to anyone if {@code servesManifest}, and every other request is
     * challenged for what it asked (once {@code challengeAfter} has been issued, if given). Every
     * Bearer token evil receives is kept.
     */
    private void startEvil(Predicate<TokenRequest> challengeAfter, Predicate<TokenRequest> blobChallengeAfter,
                           boolean servesManifest) throws IOException {
        byte[] manifest = imageManifest();
        evil = new MockWebServer();
        evil.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String authorization = request.getHeader("Authorization");
                if (authorization != null && authorization.startsWith("Bearer ")) {
                    bearersAtEvil.add(authorization.substring("Bearer ".length()));
                }
                String path = request.getPath();
                if (path.startsWith("/v2/team/app/blobs/")) {
                    awaitTokenIssued(blobChallengeAfter);
                    return challenge(",scope=\"repository:team/app:push\",error=\"insufficient_scope\"");
                }
                if (servesManifest && path.equals("/v2/team/app/manifests/1")) {
                    MockResponse ok = new MockResponse()
                            .setHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                            .setHeader("Docker-Content-Digest", "sha256:" + sha256(manifest));
                    return request.getMethod().equals("HEAD")
                            ? ok.setHeader("Content-Length", manifest.length)
                            : ok.setBody(new String(manifest, StandardCharsets.UTF_8));
                }
                awaitTokenIssued(challengeAfter);
                return challenge("");
            }
        });
        evil.start();
    }

    private String evilHost() {
        return evil.getHostName() + ":" + evil.getPort();
    }

    private static MockResponse challenge(String extra) {
        return new MockResponse().setResponseCode(401)
                .setHeader("WWW-Authenticate", "Bearer realm=\"" + tokens.realm() + "\",service=\"" + tokens.service() + "\"" + extra)
                .setHeader("Content-Type", "application/json")
                .setBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
    }

    /** A token request corp's token server answered for alice, granting {@code action} on team/app. */
    private static Predicate<TokenRequest> issuedToAlice(String action) {
        String resource = "repository:team/app:";
        return r -> r.user().equals("alice") && r.status() == 200 && r.granted().stream().anyMatch(s ->
                s.startsWith(resource) && List.of(s.substring(resource.length()).split(",")).contains(action));
    }

    /** Holds evil's answer until the token server has answered such a request, or a while has passed. */
    private static void awaitTokenIssued(Predicate<TokenRequest> which) {
        if (which == null) {
            return;
        }
        long end = System.nanoTime() + GATE.toNanos();
        while (System.nanoTime() < end && tokens.requests().stream().noneMatch(which)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static byte[] imageManifest() {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "not really a layer".getBytes(StandardCharsets.UTF_8);
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                + sha256(config) + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:"
                + sha256(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    }

    // --- what evil could do with what it received

    /** The status corp answers {@code method path} sent with {@code token}, as evil would send it. */
    private static int replay(String token, String method, String path) throws IOException {
        OkHttpClient http = new OkHttpClient();
        RequestBody body = method.equals("POST") ? RequestBody.create(new byte[0]) : null;
        Request request = new Request.Builder().url(corp.url() + path).header("Authorization", "Bearer " + token)
                .method(method, body).build();
        try (Response response = http.newCall(request).execute()) {
            return response.code();
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** Whose token it is, for failure messages: the JWT's {@code sub} claim. */
    private static String jwtSubject(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return "a token that is no JWT";
        }
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        int at = claims.indexOf("\"sub\":\"");
        return at < 0 ? "a token without a subject"
                : "a token of \"" + claims.substring(at + 7, claims.indexOf('"', at + 7)) + "\"";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * regctl in this JVM with the user's docker config; returns stdout. Whether evil's part fails
     * is not the point, what evil received is.
     */
    private static String regctl(String... args) {
        return InProcessRun.of(dockerConfig, args).out();
    }
}
