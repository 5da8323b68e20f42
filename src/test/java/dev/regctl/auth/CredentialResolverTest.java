package dev.regctl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialResolverTest {
    @TempDir
    Path tmp;
    Path dockerDir;
    FakeHelpers helpers;

    @BeforeEach
    void setUp() {
        dockerDir = tmp.resolve("docker");
        helpers = new FakeHelpers(tmp.resolve("bin"));
    }

    @Test
    void orderIsCredHelpersThenCredsStoreThenAuthsThenAuthFileThenXdgThenAnonymous() throws Exception {
        helpers.answering("perhost", "from-credhelpers", "p1").answering("store", "from-credsstore", "p2");
        writeDockerConfig("""
                {"credHelpers": {"r.example": "perhost"}, "credsStore": "store",
                 "auths": {"r.example": {"auth": "%s"}}}""".formatted(b64("from-auths:p3")));
        Path authFile = writeAuthJson(tmp.resolve("auth.json"), "r.example", "from-registry-auth-file:p4");
        Path xdg = tmp.resolve("xdg");
        writeAuthJson(xdg.resolve("containers/auth.json"), "r.example", "from-xdg:p5");
        Map<String, String> env = new HashMap<>(helpers.env());
        env.put("REGISTRY_AUTH_FILE", authFile.toString());
        env.put("XDG_RUNTIME_DIR", xdg.toString());

        assertEquals(new Credential.Basic("from-credhelpers", "p1"), resolve(env, "r.example"));
        helpers.empty("perhost");
        assertEquals(new Credential.Basic("from-credsstore", "p2"), resolve(env, "r.example"));
        helpers.empty("store");
        assertEquals(new Credential.Basic("from-auths", "p3"), resolve(env, "r.example"));
        writeDockerConfig("{\"credHelpers\": {\"r.example\": \"perhost\"}, \"credsStore\": \"store\"}");
        assertEquals(new Credential.Basic("from-registry-auth-file", "p4"), resolve(env, "r.example"));
        env.remove("REGISTRY_AUTH_FILE");
        assertEquals(new Credential.Basic("from-xdg", "p5"), resolve(env, "r.example"));
        env.remove("XDG_RUNTIME_DIR");
        assertEquals(new Credential.Anonymous(), resolve(env, "r.example"));
    }

    @Test
    void helpersGetDockersServerUrlForTheRegistry() throws Exception {
        helpers.answering("desktop", "alice", "pw");
        writeDockerConfig("{\"credsStore\": \"desktop\"}");
        resolve(helpers.env(), "docker.io");
        resolve(helpers.env(), "localhost:5000");
        assertEquals("https://index.docker.io/v1/localhost:5000", helpers.stdin("desktop"));
    }

    @Test
    void credHelpersKeysMayBeWrittenAsUrls() throws Exception {
        helpers.answering("gcr", "oauth2accesstoken", "ya29.x");
        writeDockerConfig("{\"credHelpers\": {\"https://gcr.io\": \"gcr\"}}");
        assertEquals(new Credential.Basic("oauth2accesstoken", "ya29.x"), resolve(helpers.env(), "gcr.io"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://index.docker.io/v1/", "index.docker.io", "docker.io", "https://registry-1.docker.io/v2/",
            "registry-1.docker.io"})
    void dockerHubKeyVariants(String key) throws Exception {
        writeDockerConfig("{\"auths\": {\"%s\": {\"auth\": \"%s\"}}}".formatted(key, b64("hubuser:hubpw")));
        assertEquals(new Credential.Basic("hubuser", "hubpw"), resolve(Map.of(), "docker.io"));
        assertEquals(new Credential.Basic("hubuser", "hubpw"), resolve(Map.of(), "index.docker.io"));
        assertEquals(new Credential.Anonymous(), resolve(Map.of(), "quay.io"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://r.example:5000/v1/", "http://r.example:5000", "r.example:5000/v2/", "R.EXAMPLE:5000"})
    void urlShapedKeysMatchTheirHost(String key) throws Exception {
        writeDockerConfig("{\"auths\": {\"%s\": {\"auth\": \"%s\"}}}".formatted(key, b64("u:p")));
        assertEquals(new Credential.Basic("u", "p"), resolve(Map.of(), "r.example:5000"));
        assertEquals(new Credential.Anonymous(), resolve(Map.of(), "r.example"));
    }

    @Test
    void theKeyDockerWouldWriteWinsOverOtherSpellings() throws Exception {
        writeDockerConfig("{\"auths\": {\"http://r.example\": {\"auth\": \"%s\"}, \"r.example\": {\"auth\": \"%s\"}}}"
                .formatted(b64("old:1"), b64("new:2")));
        assertEquals(new Credential.Basic("new", "2"), resolve(Map.of(), "r.example"));
    }

    @Test
    void ipv6Registry() throws Exception {
        writeDockerConfig("{\"auths\": {\"[::1]:5000\": {\"auth\": \"%s\"}}}".formatted(b64("u:p")));
        assertEquals(new Credential.Basic("u", "p"), resolve(Map.of(), "[::1]:5000"));
    }

    @Test
    void usernameAndPasswordFields() throws Exception {
        writeDockerConfig("{\"auths\": {\"r.example\": {\"username\": \"u\", \"password\": \"p:with:colons\"}}}");
        assertEquals(new Credential.Basic("u", "p:with:colons"), resolve(Map.of(), "r.example"));
    }

    @Test
    void passwordsMayContainColons() throws Exception {
        writeDockerConfig("{\"auths\": {\"r.example\": {\"auth\": \"%s\"}}}".formatted(b64("_json_key:{\"a\":1}")));
        assertEquals(new Credential.Basic("_json_key", "{\"a\":1}"), resolve(Map.of(), "r.example"));
    }

    @Test
    void identityToken() throws Exception {
        writeDockerConfig("{\"auths\": {\"contoso.azurecr.io\": {\"auth\": \"%s\", \"identitytoken\": \"eyJrefresh\"}}}"
                .formatted(b64("00000000-0000-0000-0000-000000000000:")));
        assertEquals(new Credential.IdentityToken("00000000-0000-0000-0000-000000000000", "eyJrefresh"),
                resolve(Map.of(), "contoso.azurecr.io"));
    }

    @Test
    void anEmptyAuthsEntryIsDockersMarkerForAHelperNotACredential() throws Exception {
        helpers.empty("desktop");
        writeDockerConfig("{\"credsStore\": \"desktop\", \"auths\": {\"https://index.docker.io/v1/\": {}}}");
        Path authFile = writeAuthJson(tmp.resolve("auth.json"), "docker.io", "podman:pw");
        Map<String, String> env = new HashMap<>(helpers.env());
        env.put("REGISTRY_AUTH_FILE", authFile.toString());
        assertEquals(new Credential.Basic("podman", "pw"), resolve(env, "docker.io"));
    }

    @Test
    void aMissingConfigIsAnonymous() {
        assertEquals(new Credential.Anonymous(), resolve(Map.of(), "r.example"));
    }

    @Test
    void anUnreadableConfigIsAFailureNotASilentAnonymousRun() throws Exception {
        writeDockerConfig("{\"auths\": {\"r.example\": {\"auth\": \"%s\"}}}".formatted(b64("u:p")));
        Path config = dockerDir.resolve("config.json");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(config), "running as root, which reads any file");
        RegctlException e = assertThrows(RegctlException.class, () -> resolve(Map.of(), "r.example"));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertEquals("cannot read " + config + ": permission denied", e.getMessage());
        assertTrue(e.hint().contains("docker refuses it too"), e.hint());
    }

    @Test
    void permissionDeniedIsNamedAsSuch() {
        // the test above cannot deny root; this checks the words it would see
        Path config = dockerDir.resolve("config.json");
        RegctlException e = AuthFile.unreadable(config, new java.nio.file.AccessDeniedException(config.toString()));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertEquals("cannot read " + config + ": permission denied", e.getMessage());
    }

    @Test
    void aConfigThatIsADirectoryIsAFailure() throws Exception {
        Files.createDirectories(dockerDir.resolve("config.json"));
        RegctlException e = assertThrows(RegctlException.class, () -> resolve(Map.of(), "r.example"));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertEquals("cannot read " + dockerDir.resolve("config.json") + ": is a directory", e.getMessage());
    }

    @Test
    void malformedConfigIsAUsageErrorThatQuotesNoContent() throws Exception {
        writeDockerConfig("{\"auths\": {\"r.example\": {\"auth\": \"c2VjcmV0LXRleHQ=\" oops}}}");
        RegctlException e = assertThrows(RegctlException.class, () -> resolve(Map.of(), "r.example"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot read " + dockerDir.resolve("config.json") + ": invalid JSON at line 1"),
                e.getMessage());
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
        assertFalse(e.getMessage().contains("oops"), e.getMessage());
        assertTrue(e.hint().contains("docker refuses it too"), e.hint());
    }

    @Test
    void trailingGarbageIsMalformedToo() throws Exception {
        writeDockerConfig("{} {");
        assertEquals(RegctlException.Kind.USAGE,
                assertThrows(RegctlException.class, () -> resolve(Map.of(), "r.example")).kind());
    }

    @Test
    void authThatIsNotBase64IsAUsageError() throws Exception {
        writeDockerConfig("{\"auths\": {\"r.example\": {\"auth\": \"not base64!\"}}}");
        RegctlException e = assertThrows(RegctlException.class, () -> resolve(Map.of(), "r.example"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().endsWith("auths[\"r.example\"].auth is not valid base64"), e.getMessage());
    }

    @Test
    void podmanKeysForARepositoryOrNamespaceAreMoreSpecificThanTheRegistrys() throws Exception {
        Path authFile = tmp.resolve("auth.json");
        Files.writeString(authFile, """
                {"auths": {
                  "quay.io": {"auth": "%s"},
                  "quay.io/org": {"auth": "%s"},
                  "quay.io/org/app": {"auth": "%s"},
                  "docker.io/library/alpine": {"auth": "%s"}}}""".formatted(
                b64("registry:p1"), b64("namespace:p2"), b64("repository:p3"), b64("hub-alpine:p4")));
        Map<String, String> env = Map.of("REGISTRY_AUTH_FILE", authFile.toString());
        CredentialResolver resolver = new CredentialResolver(dockerDir, env);
        assertEquals(new Credential.Basic("repository", "p3"), resolver.resolve("quay.io", "org/app"));
        assertEquals(new Credential.Basic("namespace", "p2"), resolver.resolve("quay.io", "org/other"));
        assertEquals(new Credential.Basic("repository", "p3"), resolver.resolve("quay.io", "org/app/sub"));
        assertEquals(new Credential.Basic("registry", "p1"), resolver.resolve("quay.io", "organisation/app"));
        assertEquals(new Credential.Basic("registry", "p1"), resolver.resolve("quay.io"));
        assertEquals(new Credential.Basic("hub-alpine", "p4"), resolver.resolve("docker.io", "library/alpine"));
        // A key for one repository never stands for its registry's others.
        assertEquals(new Credential.Anonymous(), resolver.resolve("docker.io", "library/redis"));
        assertEquals(new Credential.Anonymous(), resolver.resolve("docker.io"));
    }

    @Test
    void podmanCredHelpersAreAskedForTheirRegistry() throws Exception {
        helpers.answering("ecr-login", "AWS", "ecr-token");
        Path authFile = tmp.resolve("auth.json");
        Files.writeString(authFile, """
                {"credHelpers": {"123.dkr.ecr.example": "ecr-login"},
                 "auths": {"123.dkr.ecr.example": {"auth": "%s"}}}""".formatted(b64("stale:pw")));
        Map<String, String> env = new HashMap<>(helpers.env());
        env.put("REGISTRY_AUTH_FILE", authFile.toString());
        assertEquals(new Credential.Basic("AWS", "ecr-token"), resolve(env, "123.dkr.ecr.example"));
        helpers.empty("ecr-login");
        assertEquals(new Credential.Basic("stale", "pw"), resolve(env, "123.dkr.ecr.example"));
    }

    @Test
    void theUsersPodmanFileIsReadWhenTheRuntimeOneIsAbsent() throws Exception {
        Path home = tmp.resolve("home");
        writeAuthJson(home.resolve(".config/containers/auth.json"), "r.example", "from-home:p6");
        Path xdg = Files.createDirectories(tmp.resolve("xdg"));
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", xdg.toString()));
        assertEquals(new Credential.Basic("from-home", "p6"), resolve(env, "r.example"));
        writeAuthJson(xdg.resolve("containers/auth.json"), "other.example", "x:y");
        assertEquals(new Credential.Anonymous(), resolve(env, "r.example"), "the runtime file, present, is the one read");
        Path configHome = tmp.resolve("config-home");
        writeAuthJson(configHome.resolve("containers/auth.json"), "r.example", "from-config-home:p7");
        env.remove("XDG_RUNTIME_DIR");
        env.put("XDG_CONFIG_HOME", configHome.toString());
        assertEquals(new Credential.Basic("from-config-home", "p7"), resolve(env, "r.example"));
    }

    @Test
    void malformedPodmanAuthFileIsAUsageErrorToo() throws Exception {
        Path authFile = tmp.resolve("auth.json");
        Files.writeString(authFile, "[1, 2]");
        RegctlException e = assertThrows(RegctlException.class,
                () -> resolve(Map.of("REGISTRY_AUTH_FILE", authFile.toString()), "r.example"));
        assertEquals("cannot read " + authFile + ": expected a JSON object", e.getMessage());
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.hint().contains(authFile.toString()), e.hint());
    }

    @Test
    void aHelperThatFailsStopsTheLookupWithItsMessage() throws Exception {
        helpers.add("pass", "", "pass: password store is empty. Try \"pass init\".", 1);
        writeDockerConfig("{\"credsStore\": \"pass\", \"auths\": {\"r.example\": {\"auth\": \"%s\"}}}".formatted(b64("u:p")));
        RegctlException e = assertThrows(RegctlException.class, () -> resolve(helpers.env(), "r.example"));
        assertTrue(e.getMessage().contains("password store is empty"), e.getMessage());
    }

    @Test
    void aHelperThatIsNotInstalledIsAUsageError() throws Exception {
        writeDockerConfig("{\"credsStore\": \"desktop\"}");
        RegctlException e = assertThrows(RegctlException.class, () -> resolve(helpers.env(), "r.example"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("docker-credential-desktop"));
    }

    private Credential resolve(Map<String, String> env, String registry) {
        return new CredentialResolver(dockerDir, env).resolve(registry);
    }

    private void writeDockerConfig(String json) throws IOException {
        Files.createDirectories(dockerDir);
        Files.writeString(dockerDir.resolve("config.json"), json);
    }

    private static Path writeAuthJson(Path file, String key, String userPass) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"auths\": {\"%s\": {\"auth\": \"%s\"}}}".formatted(key, b64(userPass)));
        return file;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
