package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certs.d CA and {@code --insecure} reach the registries they were given for, and no other host. */
class PerHostTrustTest {
    private static final HeldCertificate CA_A = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("registry A's CA").build();
    private static final HeldCertificate CA_B = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("registry B's CA").build();

    @TempDir
    Path certsD;
    private final List<MockWebServer> servers = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (MockWebServer s : servers) {
            s.shutdown();
        }
    }

    /** A loopback HTTPS server presenting a certificate for {@code name} signed by {@code ca}. */
    private String serve(HeldCertificate ca, String address, String... names) throws IOException {
        HeldCertificate.Builder cert = new HeldCertificate.Builder().signedBy(ca);
        for (String name : names) {
            cert.addSubjectAlternativeName(name);
        }
        MockWebServer s = new MockWebServer();
        s.useHttps(new HandshakeCertificates.Builder().heldCertificate(cert.build()).build().sslSocketFactory(), false);
        s.start(InetAddress.getByName(address), 0);
        s.enqueue(new MockResponse());
        servers.add(s);
        return s.getPort() + "";
    }

    private void trust(String hostDir, HeldCertificate ca) throws IOException {
        Files.createDirectories(certsD.resolve(hostDir));
        Files.writeString(certsD.resolve(hostDir).resolve("ca.crt"), ca.certificatePem());
    }

    private static int get(Call.Factory client, String url) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.code();
        }
    }

    private static OkHttpClient client(TrustConfig tls) {
        return new OkHttpClient.Builder()
                .sslSocketFactory(tls.forRegistry(null).socketFactory(), tls.forRegistry(null).trustManager()).build();
    }

    @Test
    void aCertsDCaIsTrustedForItsOwnHostAlone() throws IOException {
        // B's port presents a certificate from A's CA: whoever holds A's CA must not pass as B.
        String a = "localhost:" + serve(CA_A, "127.0.0.1", "localhost");
        String b = "localhost:" + serve(CA_A, "127.0.0.1", "localhost");
        trust(a, CA_A);
        trust(b, CA_B);
        TrustConfig tls = TrustConfig.forHosts(List.of(a, b), List.of(certsD), false);
        assertEquals(200, get(client(tls), "https://" + a + "/v2/"));
        assertThrows(SSLException.class, () -> get(client(tls), "https://" + b + "/v2/"));
    }

    @Test
    void aCertsDCaWithoutAPortIsTrustedForThatHostName() throws IOException {
        // docker's certs.d/HOST (no port) serves the registry written without a port.
        String port = serve(CA_A, "127.0.0.1", "localhost", "127.0.0.1");
        trust("localhost", CA_A);
        TrustConfig tls = TrustConfig.forHosts(List.of("localhost"), List.of(certsD), false);
        assertEquals(200, get(client(tls), "https://localhost:" + port + "/v2/"));
        assertThrows(SSLException.class, () -> get(client(tls), "https://127.0.0.1:" + port + "/v2/"),
                "another name for the same address is another host");
    }

    @Test
    void anIpv6RegistrysCaIsReadFromTheDirectoryDockerUses() throws IOException {
        // docker names the directory after the registry as written, brackets and all: certs.d/[::1]:5000/
        String v6 = "[::1]:" + serve(CA_A, "::1", "::1");
        trust(v6, CA_A);
        TrustConfig tls = TrustConfig.forHosts(List.of(v6), List.of(certsD), false);
        assertEquals(200, get(client(tls), "https://" + v6 + "/v2/"));
    }

    @Test
    void insecureTrustsTheRegistriesNamedAndNoOtherHost() throws IOException {
        // The registry's certificate is untrusted and names another host: --insecure lets it pass.
        String registry = "127.0.0.1:" + serve(CA_A, "127.0.0.1", "registry.invalid");
        String realm = "127.0.0.1:" + serve(CA_B, "127.0.0.1", "127.0.0.1");
        try (Transport t = new Transport(new TransportOptions(true, null, List.of(certsD)), List.of(registry), null)) {
            assertEquals(200, get(t.client(), "https://" + registry + "/v2/"));
            assertThrows(SSLException.class, () -> get(t.client(), "https://" + realm + "/token"),
                    "a token realm on another port is verified as usual");
        }
    }

    @Test
    void insecureSkipsHostnameChecksForTheRegistriesNamedOnly() throws IOException {
        // Both certificates are trusted here and both name another host: only the registry's passes.
        String registry = "127.0.0.1:" + serve(CA_A, "127.0.0.1", "registry.invalid");
        String other = "127.0.0.1:" + serve(CA_A, "127.0.0.1", "registry.invalid");
        TrustConfig tls = TrustConfig.forHosts(List.of(registry), List.of(certsD), true);
        HostnameVerifier strict = new OkHttpClient().hostnameVerifier();
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(trusting(CA_A).sslSocketFactory(), trusting(CA_A).trustManager())
                .hostnameVerifier(tls.hostnameVerifier(strict)).build();
        assertEquals(200, get(client, "https://" + registry + "/v2/"));
        assertThrows(SSLPeerUnverifiedException.class, () -> get(client, "https://" + other + "/v2/"));
    }

    private static HandshakeCertificates trusting(HeldCertificate ca) {
        return new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
    }
}
