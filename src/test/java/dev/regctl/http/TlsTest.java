package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** certs.d CAs, client certificates (mutual TLS) and the loopback HTTPS-to-HTTP rule. */
class TlsTest {
    private static final HeldCertificate CA = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("regctl test CA").build();
    private static final HeldCertificate SERVER = new HeldCertificate.Builder()
            .addSubjectAlternativeName("localhost").signedBy(CA).build();
    private static final HeldCertificate CLIENT = new HeldCertificate.Builder()
            .commonName("ci-robot").signedBy(CA).build();

    @TempDir
    Path certsD;
    private MockWebServer server;
    private String host;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(SERVER)
                .addTrustedCertificate(CA.certificate()).build().sslSocketFactory(), false);
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        host = "localhost:" + server.getPort();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private int get(TrustConfig tls) throws IOException {
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(tls.forRegistry(null).socketFactory(), tls.forRegistry(null).trustManager()).build();
        try (Response r = client.newCall(new Request.Builder().url("https://" + host + "/v2/").build()).execute()) {
            return r.code();
        }
    }

    private void writeCa() throws IOException {
        Files.createDirectories(certsD.resolve(host));
        Files.writeString(certsD.resolve(host).resolve("ca.crt"), CA.certificatePem());
    }

    @Test
    void anUnknownCaIsRefused() {
        server.enqueue(new MockResponse());
        assertThrows(SSLException.class, () -> get(TrustConfig.forHosts(List.of(host), List.of(certsD), false)));
    }

    @Test
    void aCaInCertsDIsTrustedForItsHost() throws IOException {
        writeCa();
        server.enqueue(new MockResponse());
        assertEquals(200, get(TrustConfig.forHosts(List.of(host), List.of(certsD), false)));
    }

    @Test
    void insecureTrustsAnything() throws IOException {
        server.enqueue(new MockResponse());
        assertEquals(200, get(TrustConfig.forHosts(List.of(host), List.of(certsD), true)));
    }

    @Test
    void clientCertificateFromCertsDIsPresented() throws Exception {
        server.requireClientAuth();
        writeCa();
        server.enqueue(new MockResponse());
        assertThrows(IOException.class, () -> get(TrustConfig.forHosts(List.of(host), List.of(certsD), false)),
                "without a client certificate the server must refuse");

        Files.writeString(certsD.resolve(host).resolve("client.cert"), CLIENT.certificatePem());
        Files.writeString(certsD.resolve(host).resolve("client.key"), CLIENT.privateKeyPkcs8Pem());
        server.enqueue(new MockResponse());
        assertEquals(200, get(TrustConfig.forHosts(List.of(host), List.of(certsD), false)));
        assertEquals("ci-robot", commonName(server.takeRequest().getHandshake().peerPrincipal().getName()));
    }

    @Test
    void aSec1EcClientKeyIsPresentedToo() throws Exception {
        // openssl ecparam -genkey writes EC keys this way, and docker accepts them.
        server.requireClientAuth();
        writeCa();
        Files.writeString(certsD.resolve(host).resolve("client.cert"), CLIENT.certificatePem());
        Files.writeString(certsD.resolve(host).resolve("client.key"), Sec1KeysTest.sec1Pem(
                (java.security.interfaces.ECPrivateKey) CLIENT.keyPair().getPrivate(), Sec1KeysTest.P256));
        server.enqueue(new MockResponse());
        assertEquals(200, get(TrustConfig.forHosts(List.of(host), List.of(certsD), false)));
        assertEquals("ci-robot", commonName(server.takeRequest().getHandshake().peerPrincipal().getName()));
    }

    @Test
    void pkcs1RsaKeysAreReadToo() throws Exception {
        HeldCertificate rsa = new HeldCertificate.Builder().rsa2048().signedBy(CA).build();
        Path key = certsD.resolve("k.key");
        Files.writeString(key, rsa.privateKeyPkcs1Pem());
        assertEquals(rsa.keyPair().getPrivate(), ClientCertificates.privateKey(key));
    }

    @Test
    void aCertificateWithoutItsKeyIsAClearError() throws IOException {
        Files.createDirectories(certsD.resolve(host));
        Files.writeString(certsD.resolve(host).resolve("client.cert"), CLIENT.certificatePem());
        var e = assertThrows(dev.regctl.RegctlException.class,
                () -> TrustConfig.forHosts(List.of(host), List.of(certsD), false));
        assertEquals(true, e.getMessage().contains("has no key"), e.getMessage());
    }

    @Test
    void loopbackUsesHttpsWhenItWorksAndPlainHttpOtherwise() throws IOException {
        writeCa();
        server.enqueue(new MockResponse());
        try (Transport t = new Transport(new TransportOptions(false, null, List.of(certsD)), List.of(host), null)) {
            assertEquals("https", t.baseUrl(host).scheme());
        }
        try (MockWebServer plain = new MockWebServer()) {
            plain.start(InetAddress.getByName("127.0.0.1"), 0);
            String plainHost = "127.0.0.1:" + plain.getPort();
            try (Transport t = new Transport(new TransportOptions(false, null, List.of(), Set.of()), List.of(), null)) {
                assertEquals("http", t.baseUrl(plainHost).scheme());
            }
        }
    }

    @Test
    void aLoopbackTlsServerIsSpokenToInHttpsEvenWhenItsCertificateIsNotTrusted() throws IOException {
        // Falling back to plain HTTP would only earn a 400 from the TLS port; staying on HTTPS
        // gives the user the certificate error, which says what to fix.
        try (Transport t = new Transport(new TransportOptions(false, null, List.of(certsD)), List.of(host), null)) {
            assertEquals("https", t.baseUrl(host).scheme());
        }
    }

    @Test
    void aRunThatOnlySpeaksPlainHttpNeverSetsUpTls() throws Exception {
        // A client certificate without its key makes TLS set-up fail (see above); a plain-HTTP
        // loopback registry must not be affected by it.
        try (MockWebServer plain = new MockWebServer()) {
            plain.start(InetAddress.getByName("127.0.0.1"), 0);
            String plainHost = "127.0.0.1:" + plain.getPort();
            Files.createDirectories(certsD.resolve(plainHost));
            Files.writeString(certsD.resolve(plainHost).resolve("client.cert"), CLIENT.certificatePem());
            plain.enqueue(new MockResponse().setBody("ok"));
            try (Transport t = new Transport(new TransportOptions(false, null, List.of(certsD)), List.of(plainHost), null);
                    Response r = t.client().newCall(new Request.Builder().url(t.baseUrl(plainHost).resolve("/v2/")).build())
                            .execute()) {
                assertEquals("ok", r.body().string());
            }
        }
    }

    @Test
    void aPlainHttpRegistryThatRedirectsToHttpsIsFollowedWithoutItsAuthorization() throws Exception {
        // As a registry on plain HTTP does when it sends blob downloads to S3 or a CDN.
        writeCa();
        server.enqueue(new MockResponse().setBody("blob bytes"));
        try (MockWebServer plain = new MockWebServer()) {
            plain.enqueue(new MockResponse().setResponseCode(307)
                    .addHeader("Location", "https://" + host + "/storage/blob?sig=x"));
            plain.start(InetAddress.getByName("127.0.0.1"), 0);
            String plainHost = "127.0.0.1:" + plain.getPort();
            try (Transport t = new Transport(new TransportOptions(false, null, List.of(certsD), Set.of(plainHost)),
                    List.of(plainHost, host), null);
                    Response r = t.client().newCall(new Request.Builder().url("http://" + plainHost + "/v2/a/blobs/sha256:1")
                            .header("Authorization", "Bearer registry-token").build()).execute()) {
                assertEquals(200, r.code());
                assertEquals("blob bytes", r.body().string());
            }
            okhttp3.mockwebserver.RecordedRequest followed = server.takeRequest();
            assertEquals("/storage/blob?sig=x", followed.getPath());
            assertEquals(null, followed.getHeader("Authorization"), "the registry's token stays with the registry");
        }
        assertEquals(null, server.takeRequest(0, java.util.concurrent.TimeUnit.SECONDS), "one request only");
    }

    @Test
    void nonLoopbackHostsAreNeverDowngraded() throws IOException {
        try (Transport t = new Transport(new TransportOptions(false, null, List.of()), List.of(), null)) {
            assertEquals("https", t.baseUrl("registry.example.com").scheme());
        }
    }

    private static String commonName(String dn) {
        return dn.replaceAll(".*CN=([^,]+).*", "$1");
    }
}
