package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust follows the registry a request is made for: its token realm and its redirects on another
 * host name are verified against the registry's certs.d CAs (and the other host's own), while
 * one registry's CA never vouches for another registry of the run. Two names of loopback,
 * {@code 127.0.0.1} and {@code localhost}, stand for two hosts.
 */
class RegistryTrustTest {
    private static final HeldCertificate CA = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("company CA").build();
    private static final HeldCertificate OTHER_CA = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("another CA").build();

    @TempDir
    Path certsD;
    private final List<MockWebServer> servers = new ArrayList<>();

    @BeforeAll
    static void quiet() {
        Logger.getLogger(MockWebServer.class.getName()).setLevel(Level.OFF);
    }

    @AfterEach
    void stop() throws IOException {
        for (MockWebServer s : servers) {
            s.shutdown();
        }
    }

    /** An HTTPS server on 127.0.0.1 whose certificate, signed by {@code ca}, names {@code name}. */
    private MockWebServer https(HeldCertificate ca, String name) throws IOException {
        HeldCertificate cert = new HeldCertificate.Builder().signedBy(ca).addSubjectAlternativeName(name).build();
        MockWebServer s = new MockWebServer();
        s.useHttps(new HandshakeCertificates.Builder().heldCertificate(cert).build().sslSocketFactory(), false);
        s.start(InetAddress.getByName("127.0.0.1"), 0);
        servers.add(s);
        return s;
    }

    private void trust(String hostDir, HeldCertificate ca) throws IOException {
        Files.createDirectories(certsD.resolve(hostDir));
        Files.writeString(certsD.resolve(hostDir).resolve("ca.crt"), ca.certificatePem());
    }

    private Transport transport(String... registries) {
        return new Transport(new TransportOptions(false, null, List.of(certsD), Set.of()), List.of(registries), null);
    }

    private static Response get(Transport t, String url, String registry) throws IOException {
        Request.Builder r = new Request.Builder().url(url);
        if (registry != null) {
            r.tag(RequestFor.class, new RequestFor(registry));
        }
        return t.client().newCall(r.build()).execute();
    }

    private static String body(Transport t, String url, String registry) throws IOException {
        try (Response r = get(t, url, registry)) {
            return r.code() + " " + r.body().string();
        }
    }

    /**
     * A token request made for a registry on 127.0.0.1 to its realm on localhost, both with
     * certificates from the company CA, which is only in the registry's certs.d directory or only
     * in the realm's; the answer, or the failure.
     */
    private String askRealm(boolean caWithRegistry, boolean tagged) throws IOException {
        MockWebServer registry = https(CA, "127.0.0.1");
        MockWebServer realm = https(CA, "localhost");
        realm.enqueue(new MockResponse().setBody("{\"token\":\"t\"}"));
        String registryHost = "127.0.0.1:" + registry.getPort();
        String realmHost = "localhost:" + realm.getPort();
        trust(caWithRegistry ? registryHost : realmHost, CA);
        try (Transport t = transport(registryHost)) {
            return body(t, "https://" + realmHost + "/token", tagged ? registryHost : null);
        }
    }

    @Test
    void aTokenRealmOnAnotherHostIsTrustedWithTheRegistrysCa() throws IOException {
        assertEquals("200 {\"token\":\"t\"}", askRealm(true, true));
    }

    @Test
    void aRequestForNoRegistryGetsOnlyItsOwnHostsCa() {
        assertThrows(SSLException.class, () -> askRealm(true, false));
    }

    @Test
    void aTokenRealmWithItsOwnCertsDDirectoryIsTrustedWithItsCa() throws IOException {
        // Users put the token server's CA where docker's hint sent them: certs.d/<realm host>.
        assertEquals("200 {\"token\":\"t\"}", askRealm(false, true));
        assertEquals("200 {\"token\":\"t\"}", askRealm(false, false));
    }

    /**
     * A registry on 127.0.0.1, its CA in its certs.d directory, that sends blob GETs to storage on
     * localhost whose certificate {@code storageCa} signs; the registry's host.
     */
    private String redirectingToStorage(HeldCertificate storageCa, MockWebServer[] storage) throws IOException {
        storage[0] = https(storageCa, "localhost");
        storage[0].enqueue(new MockResponse().setBody("blob bytes"));
        MockWebServer registry = https(CA, "127.0.0.1");
        registry.enqueue(new MockResponse().setResponseCode(307)
                .addHeader("Location", "https://localhost:" + storage[0].getPort() + "/blob?sig=x"));
        String registryHost = "127.0.0.1:" + registry.getPort();
        trust(registryHost, CA);
        return registryHost;
    }

    @Test
    void aBlobRedirectedToAnotherHostKeepsTheRegistrysTrust() throws Exception {
        MockWebServer[] storage = new MockWebServer[1];
        String registryHost = redirectingToStorage(CA, storage);
        try (Transport t = transport(registryHost)) {
            assertEquals("200 blob bytes", body(t, "https://" + registryHost + "/v2/app/blobs/sha256:1", registryHost));
        }
        RecordedRequest followed = storage[0].takeRequest();
        assertEquals("/blob?sig=x", followed.getPath());
    }

    @Test
    void aPlainHttpRegistrysRedirectToHttpsKeepsItsTrust() throws Exception {
        MockWebServer storage = https(CA, "localhost");
        storage.enqueue(new MockResponse().setBody("blob bytes"));
        MockWebServer registry = new MockWebServer();
        servers.add(registry);
        registry.enqueue(new MockResponse().setResponseCode(307)
                .addHeader("Location", "https://localhost:" + storage.getPort() + "/blob"));
        registry.start(InetAddress.getByName("127.0.0.1"), 0);
        String registryHost = "127.0.0.1:" + registry.getPort();
        trust(registryHost, CA);
        try (Transport t = transport(registryHost)) {
            assertEquals("200 blob bytes", body(t, "http://" + registryHost + "/v2/app/blobs/sha256:1", registryHost));
        }
    }

    @Test
    void oneRegistrysCaNeverVouchesForTheOtherRegistryOfARun() throws IOException {
        // copy A B with a CA for A only: B presents a certificate from A's CA (a stolen or
        // reused one) and a self-signed one; neither passes for B, whether asked for B or untagged.
        MockWebServer a = https(CA, "127.0.0.1");
        MockWebServer b = https(CA, "127.0.0.1");
        MockWebServer selfSigned = https(new HeldCertificate.Builder().certificateAuthority(0).build(), "127.0.0.1");
        a.enqueue(new MockResponse());
        String hostA = "127.0.0.1:" + a.getPort();
        String hostB = "127.0.0.1:" + b.getPort();
        String hostC = "127.0.0.1:" + selfSigned.getPort();
        trust(hostA, CA);
        try (Transport t = transport(hostA, hostB, hostC)) {
            assertEquals("200 ", body(t, "https://" + hostA + "/v2/", hostA));
            assertThrows(SSLException.class, () -> body(t, "https://" + hostB + "/v2/", hostB));
            assertThrows(SSLException.class, () -> body(t, "https://" + hostB + "/v2/", null));
            assertThrows(SSLException.class, () -> body(t, "https://" + hostC + "/v2/", hostC));
        }
    }

    @Test
    void insecureStaysWithTheRegistrysOwnHostForItsRealmToo() throws IOException {
        // --insecure skips verification for the registries named, not for a realm elsewhere.
        MockWebServer registry = https(OTHER_CA, "registry.invalid");
        MockWebServer realm = https(OTHER_CA, "localhost");
        registry.enqueue(new MockResponse());
        String registryHost = "127.0.0.1:" + registry.getPort();
        try (Transport t = new Transport(new TransportOptions(true, null, List.of(certsD)), List.of(registryHost), null)) {
            assertEquals("200 ", body(t, "https://" + registryHost + "/v2/", registryHost));
            assertThrows(SSLException.class, () -> body(t, "https://localhost:" + realm.getPort() + "/token", registryHost));
        }
    }

    @Test
    void aClientCertificateOfTheRegistryIsOfferedToItsRealm() throws Exception {
        HeldCertificate client = new HeldCertificate.Builder().commonName("ci-robot").signedBy(CA).build();
        MockWebServer registry = https(CA, "127.0.0.1");
        HeldCertificate realmCert = new HeldCertificate.Builder().signedBy(CA).addSubjectAlternativeName("localhost").build();
        MockWebServer realm = new MockWebServer();
        servers.add(realm);
        realm.useHttps(new HandshakeCertificates.Builder().heldCertificate(realmCert)
                .addTrustedCertificate(CA.certificate()).build().sslSocketFactory(), false);
        realm.requireClientAuth();
        realm.enqueue(new MockResponse().setBody("{}"));
        realm.start(InetAddress.getByName("127.0.0.1"), 0);
        String registryHost = "127.0.0.1:" + registry.getPort();
        trust(registryHost, CA);
        Files.writeString(certsD.resolve(registryHost).resolve("client.cert"), client.certificatePem());
        Files.writeString(certsD.resolve(registryHost).resolve("client.key"), client.privateKeyPkcs8Pem());
        try (Transport t = transport(registryHost)) {
            assertEquals("200 {}", body(t, "https://localhost:" + realm.getPort() + "/token", registryHost));
        }
        String peer = realm.takeRequest().getHandshake().peerPrincipal().getName();
        assertEquals(true, peer.contains("CN=ci-robot"), peer);
    }

    @Test
    void aCaThatDoesNotSignTheRealmsCertificateIsNamedNotAskedFor() throws IOException {
        MockWebServer registry = https(CA, "127.0.0.1");
        MockWebServer realm = https(OTHER_CA, "localhost");
        String registryHost = "127.0.0.1:" + registry.getPort();
        String realmHost = "localhost:" + realm.getPort();
        trust(registryHost, CA);
        trust(realmHost, CA);
        try (Transport t = transport(registryHost)) {
            SSLException e = assertThrows(SSLException.class, () -> body(t, "https://" + realmHost + "/token", registryHost));
            assertEquals("none of the CAs in " + certsD.resolve(registryHost).resolve("ca.crt") + ", "
                    + certsD.resolve(realmHost).resolve("ca.crt") + " sign the certificate of " + realmHost,
                    ConnectionFailure.describe(realmHost, e));
            assertEquals("the certificate of " + realmHost + " is issued by \"CN=another CA\": put that CA in "
                    + certsD.resolve(registryHost) + "/", ConnectionFailure.hint(realmHost, e, "token server's", false));
        }
    }

    @Test
    void aRedirectToAHostTheCaDoesNotSignNamesThatHostNotTheRegistry() throws IOException {
        String registryHost = redirectingToStorage(OTHER_CA, new MockWebServer[1]);
        try (Transport t = transport(registryHost)) {
            SSLException e = assertThrows(SSLException.class, () -> body(t, "https://" + registryHost + "/v2/a/blobs/x", registryHost));
            assertEquals("the CA in " + certsD.resolve(registryHost).resolve("ca.crt") + " does not sign the certificate of localhost",
                    ConnectionFailure.describe(registryHost, e));
        }
    }
}
