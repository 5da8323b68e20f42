package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.it.support.AuthFile;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.TestImages;
import dev.regctl.it.support.TokenServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real distribution registry serving HTTPS with token auth, its token server on another host
 * name ({@code localhost}, the registry being {@code 127.0.0.1}), both with certificates from one
 * private CA, through the real launcher: the 401, token, retry path of {@code login} and a pull,
 * and one registry's CA refused for another registry of the same run.
 */
class TlsTokenIT {
    private static final String ALICE_PW = "alice-Secret-5e1b";
    private static final HeldCertificate CA = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("regctl TLS token test CA").build();

    @TempDir
    static Path work;
    @AutoClose
    static TokenServer tokens;
    @AutoClose
    static RegistryServer secured;
    @AutoClose
    static RegistryServer stranger;
    @AutoClose
    static AuthFile seedAuth;

    @BeforeAll
    static void start() throws IOException {
        tokens = TokenServer.builder().user("alice", ALICE_PW).grant("alice", "*", "pull", "push")
                .https(new HeldCertificate.Builder().addSubjectAlternativeName("localhost").signedBy(CA).build())
                .start();
        secured = RegistryServer.token(tokens).tls(certificate("registry", CA), key("registry")).start();
        // Another registry of the run, whose certificate no CA given here signs.
        HeldCertificate selfSigned = new HeldCertificate.Builder().certificateAuthority(0).commonName("self").build();
        stranger = RegistryServer.open().tls(certificate("stranger", selfSigned), key("stranger")).start();
        LayoutImage image = TestImages.singleImage(work.resolve("image"), "v1", 1, 1024, "linux/amd64", 19);
        seedAuth = AuthFile.create().login(secured.host(), "alice", ALICE_PW);
        TestImages.push(image.dir(), "v1", secured, "team/app:v1", seedAuth.path());
    }

    /** A PEM chain for 127.0.0.1 signed by {@code ca}, written as {@code NAME.crt} beside its key. */
    private static Path certificate(String name, HeldCertificate ca) throws IOException {
        HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").signedBy(ca).build();
        Files.writeString(work.resolve(name + ".key"), cert.privateKeyPkcs8Pem());
        return Files.writeString(work.resolve(name + ".crt"), cert.certificatePem() + ca.certificatePem());
    }

    private static Path key(String name) {
        return work.resolve(name + ".key");
    }

    private static void trust(Launcher regctl, String hostDir) throws IOException {
        Path dir = Files.createDirectories(regctl.dockerConfig().resolve("certs.d").resolve(hostDir));
        Files.writeString(dir.resolve("ca.crt"), CA.certificatePem());
    }

    private static String realmHost() {
        return tokens.realm().replaceFirst("^https://", "").replaceFirst("/.*", "");
    }

    private static Launcher.Result login(Launcher regctl) {
        return regctl.call("login", secured.host(), "-u", "alice", "--password-stdin").stdin(ALICE_PW + "\n").run();
    }

    @Test
    void loginAndPullThroughATlsRealmOnAnotherHostName() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            trust(regctl, secured.host());
            trust(regctl, realmHost());
            Launcher.Result login = login(regctl);
            assertEquals(0, login.exitCode(), login::toString);
            assertEquals("Login Succeeded\n", login.stdoutText());

            Launcher.Result copy = regctl.run("copy", secured.host() + "/team/app:v1", "oci:" + regctl.scratch("out") + ":v1");
            assertEquals(0, copy.exitCode(), copy::toString);
        }
    }

    @Test
    void theRegistrysCaAloneVouchesForItsRealmOnAnotherName() throws IOException {
        // As docker does: a request made for the registry (its token realm included) trusts its
        // certs.d CAs, whichever host it reaches. Hints for a realm the CA does not sign are
        // checked in RegistryTrustTest and ConnectionWordingTest.
        try (Launcher regctl = Launcher.create()) {
            trust(regctl, secured.host());
            Launcher.Result login = login(regctl);
            assertEquals(0, login.exitCode(), login::toString);
            assertEquals("Login Succeeded\n", login.stdoutText());
        }
    }

    @Test
    void aCaForOneRegistryIsRefusedForTheOtherOfTheSameRun() throws IOException {
        // copy A B with a CA for A only: B's self-signed certificate must not pass.
        try (Launcher regctl = Launcher.create()) {
            trust(regctl, secured.host());
            trust(regctl, realmHost());
            Launcher.Result login = login(regctl);
            assertEquals(0, login.exitCode(), login::toString);
            Launcher.Result copy = regctl.run("copy", secured.host() + "/team/app:v1", stranger.host() + "/team/app:v1");
            assertEquals(1, copy.exitCode(), copy::toString);
            assertTrue(copy.stderr().contains("certificate of " + stranger.host() + " is not trusted (unknown authority)"),
                    copy::toString);
        }
    }
}
