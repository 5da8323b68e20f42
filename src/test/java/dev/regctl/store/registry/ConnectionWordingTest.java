package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import dev.regctl.http.Transport;
import dev.regctl.http.TransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A refused connection and a refused certificate, said in one line without Java's words. */
class ConnectionWordingTest {
    private static final HeldCertificate CA = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("regctl test CA").build();
    private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

    @TempDir
    Path certsD;
    private MockWebServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.shutdown();
        }
    }

    private static RegctlException failure(String host, TransportOptions options) {
        RegistryClient client = new RegistryClient(new Transport(options, List.of(host), null), host, host);
        return assertThrows(RegctlException.class, () -> client.checkAccess("check"));
    }

    /** An HTTPS registry on loopback whose certificate names {@code names} and is signed by the test CA. */
    private String https(String... names) throws IOException {
        MOCK_LOG.setLevel(Level.OFF);
        HeldCertificate.Builder cert = new HeldCertificate.Builder().signedBy(CA);
        for (String name : names) {
            cert.addSubjectAlternativeName(name);
        }
        server = new MockWebServer();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(cert.build()).build().sslSocketFactory(), false);
        server.enqueue(new MockResponse());
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        return "127.0.0.1:" + server.getPort();
    }

    @Test
    void aRefusedConnectionSaysSo() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String host = "127.0.0.1:" + port;
        RegctlException e = failure(host, new TransportOptions(false, null, List.of(), Set.of(host)));
        assertEquals("check: cannot connect to " + host + ": connection refused", e.getMessage());
    }

    @Test
    void aCertificateFromAnUnknownAuthorityIsNotTrusted() throws IOException {
        String host = https("127.0.0.1");
        RegctlException e = failure(host, new TransportOptions(false, null, List.of(certsD), Set.of()));
        assertEquals("check: certificate of " + host + " is not trusted (unknown authority)", e.getMessage());
        assertEquals("add the registry's CA to /etc/docker/certs.d/" + host + "/ca.crt, or use --insecure", e.hint());
    }

    @Test
    void aCertificateForOtherNamesSaysWhichOnOneLine() throws IOException {
        String host = https("localhost", "registry.example");
        Files.createDirectories(certsD.resolve(host));
        Files.writeString(certsD.resolve(host).resolve("ca.crt"), CA.certificatePem());
        RegctlException e = failure(host, new TransportOptions(false, null, List.of(certsD), Set.of()));
        assertEquals("check: certificate of " + host + " is for localhost, registry.example", e.getMessage());
    }

    @Test
    void aCaInCertsDThatDoesNotSignTheCertificateIsNamedInsteadOfAskedFor() throws IOException {
        // The user did put a CA where it is read; telling them to add one there would send them in circles.
        String host = https("127.0.0.1");
        HeldCertificate other = new HeldCertificate.Builder().certificateAuthority(0).commonName("old CA").build();
        Path caFile = Files.createDirectories(certsD.resolve(host)).resolve("ca.crt");
        Files.writeString(caFile, other.certificatePem());
        RegctlException e = failure(host, new TransportOptions(false, null, List.of(certsD), Set.of()));
        assertEquals("check: the CA in " + caFile + " does not sign the certificate of " + host, e.getMessage());
        assertEquals("the certificate of " + host + " is issued by \"CN=regctl test CA\": put that CA in "
                + caFile.getParent() + "/ (or use --insecure)", e.hint());
    }

    @Test
    void aPlainHttpRegistryAskedInHttpsIsToldToUseInsecure() throws Exception {
        // Elsewhere than on loopback a registry is spoken to in HTTPS unless --insecure is given;
        // one that speaks plain HTTP answers the TLS hello with an HTTP error, as Go's server does.
        try (ServerSocket plain = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
            Thread answer = new Thread(() -> {
                while (true) {
                    try (Socket s = plain.accept()) {
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n400 Bad Request"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            answer.setDaemon(true);
            answer.start();
            String host = "[::ffff:127.0.0.1]:" + plain.getLocalPort(); // loopback, but not a name regctl treats as such
            RegctlException e = failure(host, new TransportOptions(false, null, List.of(certsD), Set.of()));
            assertEquals("check: " + host + " speaks plain HTTP, not HTTPS", e.getMessage());
            assertEquals("if it is meant to, use --insecure to talk plain HTTP to it", e.hint());
        }
    }
}
