package dev.regctl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialHelperTest {
    @TempDir
    Path tmp;
    FakeHelpers helpers;

    @BeforeEach
    void setUp() {
        helpers = new FakeHelpers(tmp.resolve("bin"));
    }

    @Test
    void getSendsTheServerUrlOnStdinAndOnlyTheActionInArgv() throws Exception {
        helpers.answering("pass", "alice", "s3cret-pw");
        Optional<Credential> c = new CredentialHelper("pass", helpers.env()).get("registry.example.com");
        assertEquals(Optional.of(new Credential.Basic("alice", "s3cret-pw")), c);
        assertEquals("get\n", helpers.argv("pass"));
        assertEquals("registry.example.com", helpers.stdin("pass"));
    }

    @Test
    void tokenUsernameMeansIdentityToken() throws Exception {
        helpers.answering("acr", "<token>", "refresh-abc");
        assertEquals(Optional.of(new Credential.IdentityToken("<token>", "refresh-abc")),
                new CredentialHelper("acr", helpers.env()).get("contoso.azurecr.io"));
    }

    @Test
    void notFoundIsEmptyNotAnError() throws Exception {
        helpers.empty("osxkeychain");
        assertTrue(new CredentialHelper("osxkeychain", helpers.env()).get("r.example").isEmpty());
    }

    @Test
    void storeSendsJsonOnStdinAndNeverTheSecretInArgv() throws Exception {
        helpers.add("rec", "", "", 0);
        new CredentialHelper("rec", helpers.env()).store("r.example", new Credential.Basic("bob", "top-secret-pw"));
        assertEquals("store\n", helpers.argv("rec"));
        JsonNode sent = Json.mapper().readTree(helpers.stdin("rec"));
        assertEquals("r.example", sent.get("ServerURL").asText());
        assertEquals("bob", sent.get("Username").asText());
        assertEquals("top-secret-pw", sent.get("Secret").asText());
        assertFalse(helpers.argv("rec").contains("top-secret-pw"));
    }

    @Test
    void storesAnIdentityTokenUnderTheTokenUsername() throws Exception {
        helpers.add("rec", "", "", 0);
        new CredentialHelper("rec", helpers.env()).store("r.example", new Credential.IdentityToken("x", "rt"));
        assertEquals("<token>", Json.mapper().readTree(helpers.stdin("rec")).get("Username").asText());
    }

    @Test
    void eraseSaysWhetherThereWasAnythingToErase() throws Exception {
        helpers.add("yes", "", "", 0).empty("no");
        assertTrue(new CredentialHelper("yes", helpers.env()).erase("r.example"));
        assertEquals("erase\n", helpers.argv("yes"));
        assertEquals("r.example", helpers.stdin("yes"));
        assertFalse(new CredentialHelper("no", helpers.env()).erase("r.example"));
    }

    @Test
    void listReturnsServerUrlsAndUsernames() throws Exception {
        helpers.add("many", "{\"https://index.docker.io/v1/\":\"alice\",\"r.example\":\"bob\"}", "", 0);
        assertEquals(Map.of("https://index.docker.io/v1/", "alice", "r.example", "bob"),
                new CredentialHelper("many", helpers.env()).list());
    }

    @Test
    void failureCarriesTheHelpersWordsButNotTheSecret() throws Exception {
        helpers.add("locked", "storing top-secret-pw failed", "gpg: decryption failed: No secret key", 2);
        RegctlException e = assertThrows(RegctlException.class, () -> new CredentialHelper("locked", helpers.env())
                .store("r.example", new Credential.Basic("bob", "top-secret-pw")));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().contains("docker-credential-locked store failed (exit 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("gpg: decryption failed: No secret key"), e.getMessage());
        assertFalse(e.getMessage().contains("top-secret-pw"), e.getMessage());
    }

    @Test
    void garbledOutputIsNotQuotedBecauseItMayHoldTheSecret() throws Exception {
        helpers.add("garbled", "Username: alice Secret: leaked-pw", "", 0);
        RegctlException e = assertThrows(RegctlException.class,
                () -> new CredentialHelper("garbled", helpers.env()).get("r.example"));
        assertFalse(e.getMessage().contains("leaked-pw"), e.getMessage());
    }

    @Test
    void helperIsLookedUpOnTheGivenPathOnly() {
        RegctlException e = assertThrows(RegctlException.class,
                () -> new CredentialHelper("absent", Map.of("PATH", tmp.toString())).get("r.example"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("credential helper docker-credential-absent not found on PATH", e.getMessage());
        assertTrue(e.hint().contains("credsStore"));
    }

    @Test
    void aHelperThatDoesNotAnswerIsKilledWithItsChildrenAfterTheTimeLimit() throws Exception {
        helpers.hanging("stuck");
        CredentialHelper helper = new CredentialHelper("stuck", helpers.env(), Duration.ofMillis(500));
        RegctlException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(RegctlException.class, () -> helper.get("r.example")));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertEquals("credential helper docker-credential-stuck did not answer get within 500 ms; it was stopped",
                e.getMessage());
        Optional<ProcessHandle> child = ProcessHandle.of(helpers.childPid("stuck"));
        if (child.isPresent()) {
            child.get().onExit().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAnswerOfMoreThanOneMebibyteIsRefusedByName() throws Exception {
        helpers.script("big", "head -c 3145728 /dev/zero | tr '\\0' a\nexit 0");
        RegctlException e = assertThrows(RegctlException.class,
                () -> new CredentialHelper("big", helpers.env()).get("r.example"));
        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertEquals("credential helper docker-credential-big answered more than 1 MiB to get", e.getMessage());
    }

    @Test
    void aHelperThatKeepsWritingIsStoppedAtOneMebibyteNotAtTheTimeLimit() throws Exception {
        // 50 MiB, then it lingers: reading it all and waiting for the exit would end in a timeout.
        helpers.script("chatty", "head -c 52428800 /dev/zero\nsleep 600");
        CredentialHelper helper = new CredentialHelper("chatty", helpers.env(), Duration.ofSeconds(60));
        RegctlException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(RegctlException.class, () -> helper.get("r.example")));
        assertEquals("credential helper docker-credential-chatty answered more than 1 MiB to get", e.getMessage());
    }

    @Test
    void tooMuchOnStderrIsRefusedToo() throws Exception {
        helpers.script("noisy", "head -c 3145728 /dev/zero >&2\nexit 1");
        RegctlException e = assertThrows(RegctlException.class,
                () -> new CredentialHelper("noisy", helpers.env()).erase("r.example"));
        assertEquals("credential helper docker-credential-noisy wrote more than 1 MiB to stderr during erase", e.getMessage());
    }

    @Test
    void theAnswerIsTakenWhenTheHelperExitsThoughADaemonItStartedHoldsStdout() throws Exception {
        helpers.leavingADaemon("agent", "alice", "pw-from-keyring");
        CredentialHelper helper = new CredentialHelper("agent", helpers.env(), Duration.ofSeconds(60));
        try {
            Optional<Credential> c = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> helper.get("r.example"));
            assertEquals(Optional.of(new Credential.Basic("alice", "pw-from-keyring")), c);
        } finally {
            ProcessHandle.of(helpers.childPid("agent")).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aHelperFoundOnlyThroughARelativePathEntryIsNotRun() throws Exception {
        helpers.answering("rel", "alice", "pw");
        String relative = relativeToWorkingDirectory(tmp.resolve("bin"));
        RegctlException e = assertThrows(RegctlException.class,
                () -> new CredentialHelper("rel", Map.of("PATH", relative + ":/usr/bin:/bin")).get("r.example"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("credential helper docker-credential-rel is found only through the relative PATH entry \""
                + relative + "\", and regctl runs no helper found relative to the working directory", e.getMessage());
        assertTrue(e.hint().contains("absolute"), e.hint());
        assertEquals("", helpers.argv("rel"), "the helper must not have run");
    }

    @Test
    void relativeAndEmptyPathEntriesAreSkippedForLaterAbsoluteOnes() throws Exception {
        FakeHelpers planted = new FakeHelpers(tmp.resolve("planted")).answering("pick", "mallory", "planted-pw");
        helpers.answering("pick", "alice", "pw");
        String path = ":.:" + relativeToWorkingDirectory(tmp.resolve("planted")) + ":" + tmp.resolve("bin") + ":/usr/bin:/bin";
        assertEquals(Optional.of(new Credential.Basic("alice", "pw")),
                new CredentialHelper("pick", Map.of("PATH", path)).get("r.example"));
        assertEquals("", planted.argv("pick"));
    }

    private static String relativeToWorkingDirectory(Path dir) {
        Path relative = Path.of("").toAbsolutePath().relativize(dir.toAbsolutePath());
        assertFalse(relative.isAbsolute());
        return relative.toString();
    }

    @Test
    void theDefaultTimeLimitIsThirtySeconds() {
        assertEquals(Duration.ofSeconds(30), CredentialHelper.TIME_LIMIT);
    }

    @Test
    void helperNamesCannotEscapeThePath() {
        assertThrows(RegctlException.class, () -> new CredentialHelper("../../bin/sh", Map.of()));
    }
}
