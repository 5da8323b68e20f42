package dev.regctl.cli;

import static dev.regctl.testing.ImageParts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole commands over TLS behind a private CA, with the token realm and the blob storage on
 * another name of loopback ({@code localhost}) than the registry ({@code 127.0.0.1}), each with its
 * own certificate from the same CA, as a company's GitLab or a CDN-backed registry is set up.
 */
class TlsFlowsTest {
    private static final HeldCertificate CA = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("company CA").build();
    private static final String TOKEN = "tls-flow-token";
    private static final String PASSWORD = "alice-Secret-3c9d";

    @TempDir
    Path tmp;
    private final List<MockWebServer> servers = new CopyOnWriteArrayList<>();
    private ContentRegistry content;
    private MockWebServer registry;
    private MockWebServer realm;
    private MockWebServer storage;

    @BeforeEach
    void start() throws IOException {
        content = new ContentRegistry(); // the manifests and blobs; its own plain-HTTP port is not used
        storage = https("localhost", new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return content.dispatch(request);
            }
        });
        realm = https("localhost", new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String basic = "Basic " + Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
                return basic.equals(request.getHeader("Authorization"))
                        ? new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"token\":\"" + TOKEN + "\"}")
                        : new MockResponse().setResponseCode(401);
            }
        });
        registry = https("127.0.0.1", new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
                    return new MockResponse().setResponseCode(401).setHeader("WWW-Authenticate", "Bearer realm=\"https://localhost:"
                            + realm.getPort() + "/token\",service=\"registry\",scope=\"repository:app:pull\"");
                }
                if (request.getPath().contains("/blobs/")) {
                    // Blob storage elsewhere, as S3 or a CDN serves it.
                    return new MockResponse().setResponseCode(307)
                            .setHeader("Location", "https://localhost:" + storage.getPort() + request.getPath());
                }
                return content.dispatch(request);
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        for (MockWebServer s : servers) {
            s.shutdown();
        }
        content.close();
    }

    private MockWebServer https(String name, Dispatcher dispatcher) throws IOException {
        HeldCertificate cert = new HeldCertificate.Builder().signedBy(CA).addSubjectAlternativeName(name).build();
        MockWebServer s = new MockWebServer();
        s.useHttps(new HandshakeCertificates.Builder().heldCertificate(cert).build().sslSocketFactory(), false);
        s.setDispatcher(dispatcher);
        s.start(InetAddress.getByName("127.0.0.1"), 0);
        servers.add(s);
        return s;
    }

    private String registryHost() {
        return "127.0.0.1:" + registry.getPort();
    }

    private void trust(String hostDir) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("docker").resolve("certs.d").resolve(hostDir));
        Files.writeString(dir.resolve("ca.crt"), CA.certificatePem());
    }

    private InProcessRun run(String... args) {
        return InProcessRun.of(tmp.resolve("docker"), args);
    }

    private InProcessRun login(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("login", registryHost(), "-u", "alice", "-p", PASSWORD));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void loginThroughARealmOnAnotherNameTrustsTheRegistrysCa() throws IOException {
        // (a) The CA only in the registry's certs.d directory: its realm is verified with it.
        trust(registryHost());
        InProcessRun r = login();
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Login Succeeded"), r::toString);
        assertEquals(3, registry.getRequestCount() + realm.getRequestCount(), "401, token, retry");
    }

    @Test
    void loginThroughARealmWithItsOwnCertsDDirectory() throws IOException {
        // (b) The realm's CA only where docker's hint sends users, certs.d/<realm host>; the
        // registry itself is spoken to with --insecure, which does not reach the realm.
        trust("localhost:" + realm.getPort());
        InProcessRun r = login("--insecure");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Login Succeeded"), r::toString);
        assertEquals(1, realm.getRequestCount(), "one token request");
        assertEquals(2, registry.getRequestCount(), "refused, then accepted with the token");
    }

    @Test
    void withoutTheRealmsCaTheHintSaysWhereItGoes() {
        InProcessRun r = login("--insecure");
        assertEquals(1, r.exit(), r::toString);
        String realmHost = "localhost:" + realm.getPort();
        assertTrue(r.err().contains("get a token from " + realmHost + " for " + registryHost()
                + ": certificate of " + realmHost + " is not trusted (unknown authority)"), r::toString);
        assertTrue(r.err().contains("add the token server's CA to /etc/docker/certs.d/" + realmHost + "/ca.crt"), r::toString);
    }

    @Test
    void aBlobRedirectedToStorageOnAnotherNameIsVerifiedWithTheRegistrysCa() throws Exception {
        trust(registryHost());
        trust("localhost:" + realm.getPort()); // the realm is not what this test is about
        Descriptor config = content.blob(MediaTypes.OCI_CONFIG,
                "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8));
        Descriptor layer = content.blob(MediaTypes.OCI_LAYER_GZIP, "layer bytes".getBytes(StandardCharsets.UTF_8));
        content.manifest(RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(config) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8),
                MediaTypes.OCI_MANIFEST), "v1");
        assertEquals(0, login().exit());
        InProcessRun r = run("copy", registryHost() + "/app:v1", "oci:" + tmp.resolve("out") + ":v1");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(2, storage.getRequestCount(), "config and layer came from the storage host");
        for (int i = 0; i < 2; i++) {
            assertEquals(null, storage.takeRequest().getHeader("Authorization"), "the registry's token stays with it");
        }
    }
}
