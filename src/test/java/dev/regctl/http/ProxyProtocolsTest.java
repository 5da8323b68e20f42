package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxies spoken to as their URL says, against real sockets on loopback: TLS to an
 * {@code https://} proxy before anything (credentials included) is sent to it, and SOCKS5.
 * The targets have names that are not loopback, so the proxy rules apply; the proxies send
 * every tunnel to a loopback server.
 */
class ProxyProtocolsTest {
    private static final HeldCertificate CA = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("regctl proxy test CA").build();
    private static final HeldCertificate PROXY = new HeldCertificate.Builder()
            .addSubjectAlternativeName("localhost").signedBy(CA).build();
    private static final HeldCertificate REGISTRY = new HeldCertificate.Builder()
            .addSubjectAlternativeName("registry.example").signedBy(CA).build();
    private static final String CREDENTIAL = Credentials.basic("ci", "pr0xy-s3cret");

    @TempDir
    Path certsD;
    private final MockWebServer server = new MockWebServer();

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private static HandshakeCertificates serving(HeldCertificate cert) {
        return new HandshakeCertificates.Builder().heldCertificate(cert).build();
    }

    private void trustForProxy(String hostPort) throws IOException {
        Files.createDirectories(certsD.resolve(hostPort));
        Files.writeString(certsD.resolve(hostPort).resolve("ca.crt"), CA.certificatePem());
    }

    /** A client routed as regctl's is for {@code env}; it trusts the test CA for https targets. */
    private OkHttpClient client(Map<String, String> env) {
        OkHttpClient.Builder b = new OkHttpClient.Builder();
        EnvProxySelector.fromEnv(env).configure(b, List.of(certsD));
        HandshakeCertificates targets = new HandshakeCertificates.Builder().addTrustedCertificate(CA.certificate()).build();
        return b.sslSocketFactory(targets.sslSocketFactory(), targets.trustManager()).build();
    }

    private static String get(OkHttpClient client, String url) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.code() + " " + r.body().string();
        }
    }

    @Test
    void anHttpsProxyHearsRequestsAndItsCredentialsOnlyInsideTls() throws Exception {
        server.useHttps(serving(PROXY).sslSocketFactory(), false);
        server.enqueue(new MockResponse().setResponseCode(407).addHeader("Proxy-Authenticate", "Basic realm=\"corp\""));
        server.enqueue(new MockResponse().setBody("via proxy"));
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        trustForProxy("localhost:" + server.getPort());
        try (MockWebServer direct = new MockWebServer()) {
            direct.enqueue(new MockResponse().setBody("direct"));
            direct.start(InetAddress.getByName("127.0.0.1"), 0);
            OkHttpClient client = client(Map.of("HTTP_PROXY", "https://ci:pr0xy-s3cret@localhost:" + server.getPort()));

            assertEquals("200 via proxy", get(client, "http://registry.example/v2/"));
            // A plain-text request would never have got past the proxy's TLS handshake to be recorded.
            RecordedRequest challenged = server.takeRequest();
            assertNotNull(challenged.getHandshake(), "spoken to over TLS");
            assertEquals("GET http://registry.example/v2/ HTTP/1.1", challenged.getRequestLine());
            assertNull(challenged.getHeader("Proxy-Authorization"));
            RecordedRequest answered = server.takeRequest();
            assertNotNull(answered.getHandshake(), "the credentials went inside TLS");
            assertEquals(CREDENTIAL, answered.getHeader("Proxy-Authorization"));

            // Loopback is never proxied: the same client still speaks plain HTTP to it.
            assertEquals("200 direct", get(client, direct.url("/v2/").toString()));
            assertNull(direct.takeRequest().getHandshake());
        }
    }

    @Test
    void anHttpsTargetIsTunnelledThroughTlsToTheProxyWithItsOwnTlsInside() throws Exception {
        server.useHttps(serving(REGISTRY).sslSocketFactory(), false);
        server.enqueue(new MockResponse().setBody("registry"));
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        try (LoopbackTunnel proxy = LoopbackTunnel.connect(
                serving(PROXY).sslContext().getServerSocketFactory(), server.getPort(), CREDENTIAL)) {
            trustForProxy("localhost:" + proxy.port());
            OkHttpClient client = client(Map.of("HTTPS_PROXY", "https://ci:pr0xy-s3cret@localhost:" + proxy.port()));

            assertEquals("200 registry", get(client, "https://registry.example/v2/"));
            assertEquals(List.of("registry.example:443", "registry.example:443"), proxy.requested);
            assertEquals(List.of("none", CREDENTIAL), proxy.authorizations);
            // The registry saw TLS for its own name, end to end through the tunnel.
            assertNotNull(server.takeRequest().getHandshake());
        }
    }

    @Test
    void anHttpsProxyWithAnUntrustedCertificateIsSentNothing() throws Exception {
        server.useHttps(serving(PROXY).sslSocketFactory(), false);
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        OkHttpClient client = client(Map.of("HTTP_PROXY", "https://ci:pr0xy-s3cret@localhost:" + server.getPort()));

        IOException e = assertThrows(IOException.class, () -> get(client, "http://registry.example/v2/"));
        assertEquals(0, server.getRequestCount());
        String why = ConnectionFailure.describe("registry.example", e);
        assertTrue(why.contains("proxy localhost:" + server.getPort() + " from HTTP_PROXY")
                && why.contains("not trusted"), why);
    }

    @Test
    void anHttpsProxyWhoseCertificateNamesAnotherHostIsSentNothing() throws Exception {
        server.useHttps(serving(PROXY).sslSocketFactory(), false); // for "localhost" only
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        trustForProxy("127.0.0.1:" + server.getPort());
        OkHttpClient client = client(Map.of("HTTP_PROXY", "https://ci:pr0xy-s3cret@127.0.0.1:" + server.getPort()));

        IOException e = assertThrows(IOException.class, () -> get(client, "http://registry.example/v2/"));
        assertEquals(0, server.getRequestCount());
        String why = ConnectionFailure.describe("registry.example", e);
        assertTrue(why.contains("another host"), why);
    }

    @Test
    void anUnreadableCaForTheProxyFailsTheRequestWithOneLineNotACrash() throws Exception {
        server.useHttps(serving(PROXY).sslSocketFactory(), false);
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        Files.createDirectories(certsD.resolve("localhost:" + server.getPort()));
        Files.writeString(certsD.resolve("localhost:" + server.getPort()).resolve("ca.crt"), "not a certificate");
        OkHttpClient client = client(Map.of("HTTP_PROXY", "https://localhost:" + server.getPort()));

        IOException e = assertThrows(IOException.class, () -> get(client, "http://registry.example/v2/"));
        String why = ConnectionFailure.describe("registry.example", e);
        assertTrue(why.contains("from HTTP_PROXY: cannot read CA certificate"), why);
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void aSocks5ProxyCarriesTheRequestAndResolvesTheTargetsName() throws Exception {
        server.enqueue(new MockResponse().setBody("registry"));
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        try (LoopbackTunnel socks = LoopbackTunnel.socks5(server.getPort())) {
            OkHttpClient client = client(Map.of("HTTP_PROXY", "socks5://127.0.0.1:" + socks.port()));

            assertEquals("200 registry", get(client, "http://registry.example/v2/"));
            // The name, not an address: the proxy resolves it, as Go does for socks5:// too.
            assertEquals(List.of("registry.example:80"), socks.requested);
            assertEquals("/v2/", server.takeRequest().getPath());
        }
    }
}
