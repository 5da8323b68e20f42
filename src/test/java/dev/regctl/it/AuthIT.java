package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.AuthFile;
import dev.regctl.it.support.CredentialHelperScript;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import dev.regctl.it.support.TokenServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logins, stored credentials and refusals through the real launcher: an htpasswd registry (Basic)
 * and a token-auth registry whose token server decides who may pull what. Every test gets its
 * own HOME and DOCKER_CONFIG, so what one stores cannot help another.
 */
class AuthIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TAGS = List.of("v1", "v2");
    private static final String ALICE_PW = "alice-Secret-7f3a";
    private static final String BOB_PW = "bob-Secret-91c2";

    @AutoClose
    static RegistryServer basic;
    @AutoClose
    static TokenServer tokens;
    @AutoClose
    static RegistryServer secured;

    private static Map<String, String> publicDigests;

    @BeforeAll
    static void startRegistries() {
        basic = RegistryServer.htpasswd(Map.of("alice", ALICE_PW)).start();
        tokens = TokenServer.builder()
                .user("alice", ALICE_PW).grant("alice", "*", "pull", "push").catalog("alice")
                .user("bob", BOB_PW).grant("bob", "team/*", "pull")
                .publicRepository("public/*")
                .start();
        secured = RegistryServer.token(tokens).start();
        try (Seeder seeder = Seeder.withBasicAuth(basic, "alice", ALICE_PW)) {
            seeder.tags("private/app", TAGS);
        }
        try (Seeder seeder = Seeder.withBearer(secured, repo -> tokens.mintToken("seeder", "repository:" + repo + ":pull,push"))) {
            publicDigests = seeder.tags("public/app", TAGS);
            seeder.tags("team/app", TAGS);
            seeder.tags("private/app", TAGS);
        }
    }

    @Test
    void htpasswdLoginStoresTheCredentialThatTagsThenUsesUntilLogout() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            String repo = basic.host() + "/private/app";
            Launcher.Result login = regctl.call("login", basic.host(), "-u", "alice", "--password-stdin")
                    .stdin(ALICE_PW + "\n").run();
            assertEquals(0, login.exitCode(), login::toString);
            assertEquals("Login Succeeded\n", login.stdoutText());
            assertEquals("", login.stderr());

            Path config = regctl.configJson();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
            JsonNode entry = JSON.readTree(config.toFile()).path("auths").path(basic.host());
            assertEquals(base64("alice:" + ALICE_PW), entry.path("auth").asText(), Files.readString(config));

            Launcher.Result tags = regctl.run("tags", repo);
            assertEquals(0, tags.exitCode(), tags::toString);
            assertEquals(TAGS, tags.stdoutLines());

            Launcher.Result logout = regctl.run("logout", basic.host());
            assertEquals(0, logout.exitCode(), logout::toString);
            assertTrue(JSON.readTree(config.toFile()).path("auths").path(basic.host()).isMissingNode(),
                    Files.readString(config));
            assertFalse(Files.readString(config).contains(base64("alice:" + ALICE_PW)));

            assertRefused(regctl.run("tags", repo), "UNAUTHORIZED");
        }
    }

    @Test
    void withoutDockerConfigTheDockerDirectoryInHomeIsUsed() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            // docker resolves ~ from $HOME; CI runners and containers often set HOME elsewhere
            // than the passwd entry, and a login must land where docker would read it.
            Launcher.Result login = regctl.call("login", basic.host(), "-u", "alice", "--password-stdin")
                    .stdin(ALICE_PW).env("DOCKER_CONFIG", null).run();
            assertEquals(0, login.exitCode(), login::toString);
            Path config = regctl.home().resolve(".docker").resolve("config.json");
            assertTrue(Files.exists(config), "login wrote " + config);
            assertTrue(Files.readString(config).contains(base64("alice:" + ALICE_PW)));

            Launcher.Result tags = regctl.call("tags", basic.host() + "/private/app").env("DOCKER_CONFIG", null).run();
            assertEquals(0, tags.exitCode(), tags::toString);
            assertEquals(TAGS, tags.stdoutLines());
        }
    }

    @Test
    void wrongPasswordIsRefusedAndNothingIsStored() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            byte[] before = "{\"auths\":{\"other.example\":{\"auth\":\"b3RoZXI6cHc=\"}},\"psFormat\":\"table\"}\n"
                    .getBytes(StandardCharsets.UTF_8);
            Files.write(regctl.configJson(), before);

            Launcher.Result login = regctl.call("login", basic.host(), "-u", "alice", "--password-stdin")
                    .stdin("not-" + ALICE_PW + "\n").run();
            assertRefused(login, "UNAUTHORIZED");
            assertFalse(login.stderr().contains("not-" + ALICE_PW), login::toString);
            assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(regctl.configJson()),
                    "a refused login leaves config.json untouched");
        }
    }

    @Test
    void passwordOnTheCommandLineWorksButWarns() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Launcher.Result login = regctl.run("login", basic.host(), "-u", "alice", "-p", ALICE_PW);
            assertEquals(0, login.exitCode(), login::toString);
            assertEquals("Login Succeeded\n", login.stdoutText());
            assertTrue(login.stderr().startsWith("WARNING! Using --password via the CLI is insecure."), login::toString);
            assertFalse(login.stderr().contains(ALICE_PW), login::toString);
            assertTrue(Files.readString(regctl.configJson()).contains(base64("alice:" + ALICE_PW)));
        }
    }

    @Test
    void tokenLoginTagsAndLogout() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            String repo = secured.host() + "/private/app";
            assertRefused(regctl.run("tags", repo), "authentication required");

            Launcher.Result login = regctl.call("login", secured.host(), "-u", "alice", "--password-stdin")
                    .stdin(ALICE_PW).run();
            assertEquals(0, login.exitCode(), login::toString);
            assertEquals("Login Succeeded\n", login.stdoutText());
            assertTrue(Files.readString(regctl.configJson()).contains(base64("alice:" + ALICE_PW)));

            tokens.clearRequests();
            Launcher.Result tags = regctl.run("tags", repo);
            assertEquals(0, tags.exitCode(), tags::toString);
            assertEquals(TAGS, tags.stdoutLines());
            assertTrue(tokens.requests().stream().anyMatch(r -> r.user().equals("alice")
                    && r.granted().contains("repository:private/app:pull")), tokens.requests()::toString);

            // --long fetches manifests and configs on parallel threads, all through one token cache
            Launcher.Result details = regctl.run("tags", "--long", "-o", "json", repo);
            assertEquals(0, details.exitCode(), details::toString);
            JsonNode list = JSON.readTree(details.stdout());
            assertEquals(TAGS.size(), list.size(), list::toString);
            assertEquals(TAGS.get(0), list.get(0).path("tag").asText());
            assertEquals("linux/amd64", list.get(0).path("platforms").path(0).asText(), list::toString);

            Launcher.Result ls = regctl.run("ls", secured.host());
            assertEquals(0, ls.exitCode(), ls::toString);
            assertEquals(List.of("private/app", "public/app", "team/app"), ls.stdoutLines());

            assertEquals(0, regctl.run("logout", secured.host()).exitCode());
            assertRefused(regctl.run("tags", repo), "authentication required");
        }
    }

    @Test
    void anonymousPullOfAPublicRepositoryNeedsNoCredentials() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            String repo = secured.host() + "/public/app";
            Launcher.Result tags = regctl.run("tags", repo);
            assertEquals(0, tags.exitCode(), tags::toString);
            assertEquals(TAGS, tags.stdoutLines());

            Launcher.Result digest = regctl.run("digest", repo + ":v2");
            assertEquals(0, digest.exitCode(), digest::toString);
            assertEquals(publicDigests.get("v2") + "\n", digest.stdoutText());

            Launcher.Result inspect = regctl.run("inspect", "-o", "json", repo + ":v1");
            assertEquals(0, inspect.exitCode(), inspect::toString);
            assertEquals(publicDigests.get("v1"), JSON.readTree(inspect.stdout()).path("digest").asText());
            assertFalse(Files.exists(regctl.configJson()), "an anonymous read writes nothing");
        }
    }

    @Test
    void privateRepositoryWithoutCredentialsIsRefusedWithTheRegistrysWords() {
        try (Launcher regctl = Launcher.create()) {
            Launcher.Result tags = regctl.run("tags", secured.host() + "/private/app");
            assertRefused(tags, "authentication required");
            assertTrue(tags.stderr().contains("UNAUTHORIZED"), tags::toString);
            assertRefused(regctl.run("inspect", secured.host() + "/private/app:v1"), "authentication required");
        }
    }

    @Test
    void podmanAuthFileIsUsedWhenDockerHasNoCredential() {
        try (Launcher regctl = Launcher.create();
             AuthFile podman = AuthFile.create().login(secured.host(), "bob", BOB_PW)) {
            String repo = secured.host() + "/team/app";
            Launcher.Result viaEnv = regctl.call("tags", repo).env("REGISTRY_AUTH_FILE", podman.path().toString()).run();
            assertEquals(0, viaEnv.exitCode(), viaEnv::toString);
            assertEquals(TAGS, viaEnv.stdoutLines());

            // podman's default location when REGISTRY_AUTH_FILE is unset
            Path runtime = regctl.scratch("xdg-runtime");
            copy(podman.path(), runtime.resolve("containers").resolve("auth.json"));
            Launcher.Result viaXdg = regctl.call("tags", repo).env("XDG_RUNTIME_DIR", runtime.toString()).run();
            assertEquals(0, viaXdg.exitCode(), viaXdg::toString);

            assertRefused(regctl.run("tags", repo), "authentication required");
        }
    }

    @Test
    void credentialHelperServesReadsAndReceivesLoginsOnStdinOnly() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            CredentialHelperScript helper = CredentialHelperScript.install(regctl.scratch("helper-bin"), "test");
            Files.writeString(regctl.configJson(), "{\"credsStore\": \"test\"}\n");
            String repo = secured.host() + "/private/app";

            helper.preload(secured.host(), "alice", ALICE_PW);
            Launcher.Result tags = regctl.call("tags", "--verbose", repo).prependPath(helper.dir()).run();
            assertEquals(0, tags.exitCode(), tags::toString);
            assertEquals(TAGS, tags.stdoutLines());
            assertTrue(helper.argvLog().contains("get"), helper.argvLog()::toString);
            assertNoSecrets(tags.stderr(), "alice", ALICE_PW);

            helper.forget();
            Launcher.Result login = regctl.call("login", "--verbose", secured.host(), "-u", "alice", "--password-stdin")
                    .stdin(ALICE_PW + "\n").prependPath(helper.dir()).run();
            assertEquals(0, login.exitCode(), login::toString);
            assertNoSecrets(login.stderr(), "alice", ALICE_PW);

            List<String> stores = helper.storeInputs();
            assertEquals(1, stores.size(), stores::toString);
            JsonNode stored = JSON.readTree(stores.get(0));
            assertEquals(secured.host(), stored.path("ServerURL").asText());
            assertEquals("alice", stored.path("Username").asText());
            assertEquals(ALICE_PW, stored.path("Secret").asText());
            assertTrue(helper.argvLog().contains("store"), helper.argvLog()::toString);
            assertTrue(helper.argvLog().stream().noneMatch(a -> a.contains(ALICE_PW)), helper.argvLog()::toString);

            String config = Files.readString(regctl.configJson());
            assertFalse(config.contains(base64("alice:" + ALICE_PW)), "with a helper the secret stays out of config.json: " + config);
            assertEquals("test", JSON.readTree(config).path("credsStore").asText(), config);

            Launcher.Result again = regctl.call("tags", repo).prependPath(helper.dir()).run();
            assertEquals(0, again.exitCode(), again::toString);

            Launcher.Result logout = regctl.call("logout", secured.host()).prependPath(helper.dir()).run();
            assertEquals(0, logout.exitCode(), logout::toString);
            assertFalse(helper.holdsCredential(), "logout erases from the helper");
        }
    }

    @Test
    void verboseTraceShowsTheExchangeButNoSecret() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Files.writeString(regctl.configJson(),
                    "{\"auths\":{\"" + secured.host() + "\":{\"auth\":\"" + base64("alice:" + ALICE_PW) + "\"}}}");
            Launcher.Result tags = regctl.run("tags", "--verbose", secured.host() + "/private/app");
            assertEquals(0, tags.exitCode(), tags::toString);
            assertEquals(TAGS, tags.stdoutLines(), "the trace goes to stderr only");
            assertTrue(tags.stderr().contains("> GET "), tags::toString);
            assertTrue(tags.stderr().contains("< 200 "), tags::toString);
            assertTrue(tags.stderr().contains("< 401 "), "the challenge is part of the trace: " + tags);
            assertTrue(tags.stderr().contains("/token?"), "the token request is traced: " + tags);
            assertTrue(tags.stderr().contains("> Authorization: Basic [redacted]"), "to the token server: " + tags);
            assertTrue(tags.stderr().contains("> Authorization: Bearer [redacted]"), "to the registry: " + tags);
            assertNoSecrets(tags.stderr(), "alice", ALICE_PW);
        }
    }

    /** No password, no {@code user:pass} in base64, no token (JWTs start with {@code eyJ}). */
    private static void assertNoSecrets(String stderr, String user, String password) {
        assertFalse(stderr.contains(password), "password in stderr:\n" + stderr);
        assertFalse(stderr.contains(base64(user + ":" + password)), "Basic credential in stderr:\n" + stderr);
        assertFalse(stderr.contains("eyJ"), "a token in stderr:\n" + stderr);
        stderr.lines().filter(l -> l.startsWith("> Authorization:")).forEach(l ->
                assertTrue(l.matches("> Authorization: (Basic|Bearer) \\[redacted]"), "unredacted: " + l));
    }

    /** Exit 4, nothing on stdout, one {@code regctl:} line carrying the registry's words (plus a hint). */
    private static void assertRefused(Launcher.Result r, String registrysWords) {
        assertEquals(4, r.exitCode(), r::toString);
        assertEquals("", r.stdoutText(), r::toString);
        List<String> lines = r.stderrLines();
        assertTrue(lines.size() == 1 || (lines.size() == 2 && lines.get(1).startsWith("hint: ")), r::toString);
        assertTrue(lines.get(0).startsWith("regctl: "), r::toString);
        assertTrue(lines.get(0).contains(registrysWords), r::toString);
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
