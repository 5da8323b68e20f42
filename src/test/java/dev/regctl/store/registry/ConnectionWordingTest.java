package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import dev.regctl.http.Transport;
import dev.regctl.http.TransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
    }

    @Test
    void aCertificateForOtherNamesSaysWhichOnOneLine() throws IOException {
        String host = https("localhost", "registry.example");
        Files.createDirectories(certsD.resolve(host));
        Files.writeString(certsD.resolve(host).resolve("ca.crt"), CA.certificatePem());
        RegctlException e = failure(host, new TransportOptions(false, null, List.of(certsD), Set.of()));
        assertEquals("check: certificate of " + host + " is for localhost, registry.example", e.getMessage());
    }
}
