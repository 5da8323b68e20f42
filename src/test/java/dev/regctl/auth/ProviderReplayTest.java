package dev.regctl.auth;

import static dev.regctl.auth.RegistryAuthInterceptorTest.form;
import static dev.regctl.auth.RegistryAuthInterceptorTest.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays each provider's documented (or observed and reported) challenge, token answer and
 * token error against the interceptor. The registry and its token server are two mock servers,
 * as they are two hosts for most providers.
 */
class ProviderReplayTest {

    /**
     * One provider's exchange. {@code challenge} has {@code %s} where the realm goes;
     * {@code registryBody} is what its registry sends with the 401.
     */
    record Provider(String name, String registry, String repository, String challenge, String registryBody,
                    String realmPath, Credential credential, String tokenMethod, String tokenAnswer,
                    String token, int errorStatus, String errorBody, String errorText) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Provider> bearerProviders() {
        String distributionUnauthorized =
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}";
        return Stream.of(
                new Provider("Docker Hub", "docker.io", "library/ubuntu",
                        "Bearer realm=\"%s\",service=\"registry.docker.io\",scope=\"repository:library/ubuntu:pull\"",
                        distributionUnauthorized, "/token", new Credential.Basic("hubuser", "dckr_pat_secret"), "GET",
                        "{\"token\":\"hub-token\",\"access_token\":\"hub-token\",\"expires_in\":300,"
                                + "\"issued_at\":\"2024-05-01T11:59:59.123456789Z\"}",
                        "hub-token", 401, "{\"details\":\"incorrect username or password\"}",
                        "incorrect username or password"),
                new Provider("GCR", "gcr.io", "my-project/app",
                        "Bearer realm=\"%s\",service=\"gcr.io\"",
                        distributionUnauthorized, "/v2/token", new Credential.Basic("oauth2accesstoken", "ya29.secret"), "GET",
                        "{\"expires_in\":43200,\"issued_at\":\"2024-05-01T04:59:59.000000-07:00\",\"token\":\"gcr-token\"}",
                        "gcr-token", 401,
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"You don't have the needed permissions to perform "
                                + "this operation, and you may have invalid credentials. To authenticate your request, follow "
                                + "the steps in: https://cloud.google.com/container-registry/docs/advanced-authentication\"}]}",
                        "You don't have the needed permissions to perform this operation, and you may have invalid "
                                + "credentials. To authenticate your request, follow the steps in: "
                                + "https://cloud.google.com/container-registry/docs/advanced-authentication"),
                new Provider("Artifact Registry (no service in the challenge)", "us-docker.pkg.dev", "p/repo/app",
                        "Bearer realm=\"%s\"",
                        distributionUnauthorized, "/v2/token", new Credential.Basic("_json_key", "{\"private_key\":\"secret-key\"}"),
                        "GET", "{\"token\":\"ar-token\",\"expires_in\":3600}", "ar-token", 403,
                        "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"Permission \\\"artifactregistry.repositories."
                                + "downloadArtifacts\\\" denied on resource \\\"projects/p/locations/us/repositories/repo\\\" "
                                + "(or it may not exist)\"}]}",
                        "Permission \"artifactregistry.repositories.downloadArtifacts\" denied on resource "
                                + "\"projects/p/locations/us/repositories/repo\" (or it may not exist)"),
                new Provider("ACR (identity token)", "contoso.azurecr.io", "team/app",
                        "Bearer realm=\"%s\",service=\"contoso.azurecr.io\"",
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required, visit "
                                + "https://aka.ms/acr/authorization for more information.\",\"detail\":null}]}",
                        "/oauth2/token", new Credential.IdentityToken("00000000-0000-0000-0000-000000000000", "acr-refresh-secret"),
                        "POST", "{\"access_token\":\"acr-token\"}", "acr-token", 401,
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required, visit "
                                + "https://aka.ms/acr/authorization for more information.\"}]}",
                        "authentication required, visit https://aka.ms/acr/authorization for more information."),
                new Provider("GitLab", "registry.gitlab.com", "group/project",
                        "Bearer realm=\"%s\",service=\"container_registry\",scope=\"repository:group/project:pull\"",
                        distributionUnauthorized, "/jwt/auth", new Credential.Basic("gitlab-ci-token", "glpat-secret"), "GET",
                        "{\"token\":\"gitlab-token\"}", "gitlab-token", 401,
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"HTTP Basic: Access denied\\nYou must use a "
                                + "personal access token with 'api' scope for Git over HTTP.\\nYou can generate one at "
                                + "https://gitlab.com/-/profile/personal_access_tokens\"}]}",
                        "HTTP Basic: Access denied You must use a personal access token with 'api' scope for Git over HTTP. "
                                + "You can generate one at https://gitlab.com/-/profile/personal_access_tokens"),
                new Provider("Quay", "quay.io", "org/app",
                        "Bearer realm=\"%s\",service=\"quay.io\"",
                        "true", "/v2/auth", new Credential.Basic("org+robot", "ROBOT-SECRET"), "GET",
                        "{\"token\":\"quay-token\"}", "quay-token", 401,
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"detail\":{},\"message\":\"Invalid Username or Password\"}]}",
                        "Invalid Username or Password"),
                new Provider("Harbor (empty error body)", "harbor.example.com", "library/nginx",
                        "Bearer realm=\"%s\",service=\"harbor-registry\",scope=\"repository:library/nginx:pull\"",
                        distributionUnauthorized, "/service/token", new Credential.Basic("robot$ci", "harbor-secret"), "GET",
                        "{\"token\":\"harbor-token\",\"access_token\":\"\",\"expires_in\":1800,"
                                + "\"issued_at\":\"2024-05-01T12:00:00Z\"}",
                        "harbor-token", 401, "", "HTTP 401"),
                new Provider("Artifactory", "art.example.com", "someproduct/someimage",
                        "Bearer realm=\"%s\",service=\"artifactory\",scope=\"repository:someproduct/someimage:pull\"",
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"Authentication is required\"}]}",
                        "/artifactory/api/docker/docker-local/v2/token", new Credential.Basic("deployer", "AKCp-secret"), "GET",
                        "{\"token\":\"art-token\",\"expires_in\":3600}", "art-token", 401,
                        "{\"errors\":[{\"status\":401,\"message\":\"Bad credentials\"}]}", "Bad credentials"));
    }

    MockWebServer registry;
    MockWebServer auth;
    OkHttpClient tokenClient;

    @BeforeEach
    void start() throws IOException {
        registry = new MockWebServer();
        auth = new MockWebServer();
        registry.start();
        auth.start();
        tokenClient = new OkHttpClient();
    }

    @AfterEach
    void stop() throws IOException {
        registry.shutdown();
        auth.shutdown();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bearerProviders")
    void flowSucceeds(Provider p) throws Exception {
        registry.enqueue(unauthorized(p));
        registry.enqueue(new MockResponse().setBody("{\"name\":\"" + p.repository + "\",\"tags\":[\"latest\"]}"));
        auth.enqueue(new MockResponse().addHeader("Content-Type", "application/json").setBody(p.tokenAnswer));

        try (Response r = call(p)) {
            assertEquals(200, r.code());
        }

        RecordedRequest tokenRequest = take(auth);
        assertEquals(p.realmPath, tokenRequest.getRequestUrl().encodedPath());
        assertEquals(p.tokenMethod, tokenRequest.getMethod());
        String service = serviceOf(p.challenge);
        String wantedScope = "repository:" + p.repository + ":pull";
        if (p.tokenMethod.equals("GET")) {
            assertEquals(service, tokenRequest.getRequestUrl().queryParameter("service"));
            assertEquals(List.of(wantedScope), tokenRequest.getRequestUrl().queryParameterValues("scope"));
        } else {
            Map<String, String> form = form(tokenRequest);
            assertEquals("refresh_token", form.get("grant_type"));
            assertEquals(service, form.get("service"));
            assertEquals(wantedScope, form.get("scope"));
        }
        take(registry);
        assertEquals("Bearer " + p.token, take(registry).getHeader("Authorization"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bearerProviders")
    void tokenErrorIsSurfacedWithoutSecrets(Provider p) throws Exception {
        registry.enqueue(unauthorized(p));
        auth.enqueue(new MockResponse().setResponseCode(p.errorStatus).setBody(p.errorBody));

        RegctlException e = assertThrows(RegctlException.class, () -> call(p).close());

        assertEquals(RegctlException.Kind.AUTH, e.kind());
        assertEquals(p.registry + ": authentication failed: " + p.errorText, e.getMessage());
        String secret = p.credential instanceof Credential.Basic b ? b.password() : ((Credential.IdentityToken) p.credential).token();
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }

    @Test
    void artifactoryAnswersOAuth2PostWith405AndTheIdentityTokenGoesByGet() throws Exception {
        Provider p = bearerProviders().filter(x -> x.name.equals("Artifactory")).findFirst().orElseThrow();
        registry.enqueue(unauthorized(p));
        registry.enqueue(new MockResponse().setBody("{}"));
        auth.enqueue(new MockResponse().setResponseCode(405)
                .setBody("{\n  \"errors\" : [ {\n    \"status\" : 405,\n    \"message\" : \"Method Not Allowed\"\n  } ]\n}"));
        auth.enqueue(new MockResponse().setBody(p.tokenAnswer));
        try (Response r = call(p, new Credential.IdentityToken("deployer", "AKCp-reference-token"))) {
            assertEquals(200, r.code());
        }
        assertEquals("POST", take(auth).getMethod());
        RecordedRequest get = take(auth);
        assertEquals("GET", get.getMethod());
        assertEquals("Basic " + CredentialResolverTest.b64("deployer:AKCp-reference-token"), get.getHeader("Authorization"));
    }

    @Test
    void ecrUsesBasicAndItsDeniedErrorReachesTheCaller() throws Exception {
        String registryName = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
        String challenge = "Basic realm=\"https://" + registryName + "/\",service=\"ecr.amazonaws.com\"";
        String expired = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"Your authorization token has expired. "
                + "Reauthenticate and try again.\"}]}";
        registry.enqueue(new MockResponse().setResponseCode(401).addHeader("WWW-Authenticate", challenge)
                .setBody("Not Authorized\n"));
        registry.enqueue(new MockResponse().setBody("{\"name\":\"app\",\"tags\":[\"1.0\"]}"));
        registry.enqueue(new MockResponse().setResponseCode(403).setBody(expired));

        Credential ecr = new Credential.Basic("AWS", "ecr-password-secret");
        OkHttpClient client = client(ecr);
        AuthTarget target = AuthTarget.of(registryName, Scope.repository("app", "pull"));
        try (Response r = client.newCall(request("/v2/app/tags/list", target)).execute()) {
            assertEquals(200, r.code());
        }
        try (Response r = client.newCall(request("/v2/app/manifests/1.0", target)).execute()) {
            assertEquals(403, r.code());
            assertEquals(expired, r.body().string());
        }
        assertNull(take(registry).getHeader("Authorization"));
        String basic = "Basic " + CredentialResolverTest.b64("AWS:ecr-password-secret");
        assertEquals(basic, take(registry).getHeader("Authorization"));
        assertEquals(basic, take(registry).getHeader("Authorization"));
        assertEquals(0, auth.getRequestCount());
    }

    private MockResponse unauthorized(Provider p) {
        return new MockResponse().setResponseCode(401)
                .addHeader("WWW-Authenticate", p.challenge.formatted(auth.url(p.realmPath)))
                .addHeader("Docker-Distribution-Api-Version", "registry/2.0")
                .setBody(p.registryBody);
    }

    private Response call(Provider p) throws IOException {
        return call(p, p.credential);
    }

    private Response call(Provider p, Credential credential) throws IOException {
        AuthTarget target = AuthTarget.of(p.registry, Scope.repository(p.repository, "pull"));
        return client(credential).newCall(request("/v2/" + p.repository + "/tags/list", target)).execute();
    }

    private Request request(String path, AuthTarget target) {
        return new Request.Builder().url(registry.url(path)).tag(AuthTarget.class, target).build();
    }

    private OkHttpClient client(Credential credential) {
        return tokenClient.newBuilder()
                .addInterceptor(new RegistryAuthInterceptor(r -> credential, tokenClient,
                        new MutableClock(Instant.parse("2024-05-01T12:00:00Z"))))
                .build();
    }

    private static String serviceOf(String challenge) {
        return Challenge.parse(List.of(challenge.formatted("x"))).get(0).service();
    }
}
