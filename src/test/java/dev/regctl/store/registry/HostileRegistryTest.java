package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.auth.Credential;
import dev.regctl.auth.RegistryAuthInterceptor;
import dev.regctl.http.Transport;
import dev.regctl.http.TransportOptions;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that tries to steer regctl where it must not go: credentials to another origin,
 * writes into another repository, token requests over plain HTTP. The registry asks for Basic
 * credentials, so every request that carries them can be told apart from one that does not.
 */
class HostileRegistryTest {
    private static final String BASIC = okhttp3.Credentials.basic("alice", "s3cret", StandardCharsets.UTF_8);
    private static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:"
            + "a".repeat(64) + "\",\"size\":2},\"layers\":[]}";

    private MockWebServer registry;
    private MockWebServer elsewhere;
    private Transport transport;
    private RegistryStore store;

    @BeforeEach
    void start() throws IOException {
        registry = new MockWebServer();
        elsewhere = new MockWebServer();
        registry.start(InetAddress.getByName("127.0.0.1"), 0);
        elsewhere.start(InetAddress.getByName("127.0.0.1"), 0);
        String host = "127.0.0.1:" + registry.getPort();
        transport = new Transport(new TransportOptions(false, null, List.of(), Set.of(host)), List.of(),
                tokenClient -> new RegistryAuthInterceptor(r -> new Credential.Basic("alice", "s3cret"), tokenClient));
        store = new RegistryStore(new RegistryClient(transport, host, host), "team/app");
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        registry.shutdown();
        elsewhere.shutdown();
    }

    private static MockResponse basicChallenge() {
        return new MockResponse().setResponseCode(401).addHeader("WWW-Authenticate", "Basic realm=\"r\"");
    }

    /** The registry learns our credentials from its first request, so later ones carry them up front. */
    private void authenticate() throws InterruptedException {
        registry.enqueue(basicChallenge());
        registry.enqueue(new MockResponse().setBody("{\"tags\":[]}"));
        store.listTags();
        registry.takeRequest();
        assertEquals(BASIC, registry.takeRequest().getHeader("Authorization"));
    }

    @Test
    void anUploadLocationOnAnotherPortGetsNoCredentials() throws Exception {
        authenticate();
        byte[] blob = "hello".getBytes(StandardCharsets.UTF_8);
        Descriptor d = new Descriptor("application/octet-stream", Digest.sha256(blob), blob.length);
        registry.enqueue(new MockResponse().setResponseCode(202)
                .addHeader("Location", elsewhere.url("/upload/1").toString()));
        elsewhere.enqueue(new MockResponse().setResponseCode(201).addHeader("Docker-Content-Digest", d.digest()));

        store.putBlob(d, new ByteArrayInputStream(blob));

        assertEquals(BASIC, registry.takeRequest().getHeader("Authorization"), "the registry's own POST");
        RecordedRequest put = elsewhere.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("PUT", put.getMethod());
        assertNull(put.getHeader("Authorization"), "another origin must not see the registry's credentials");
    }

    @Test
    void aNextPageOnAnotherPortIsNotFollowed() throws Exception {
        authenticate();
        registry.enqueue(new MockResponse().setBody("{\"tags\":[\"a\"]}")
                .addHeader("Link", "<" + elsewhere.url("/v2/team/app/tags/list?last=a") + ">; rel=\"next\""));
        RegctlException e = assertThrows(RegctlException.class, () -> store.listTags());
        assertTrue(e.getMessage().contains("refusing to follow it"), e.getMessage());
        assertEquals(0, elsewhere.getRequestCount());
    }

    @Test
    void aTagThatClimbsOutOfTheRepositoryIsNeverPutIntoAUrl() {
        RawManifest m = RawManifest.of(MANIFEST.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        for (String tag : List.of("../../victim/manifests/latest", "..", "a/b", "%2e%2e", ".hidden")) {
            RegctlException e = assertThrows(RegctlException.class, () -> store.putManifest(m, tag), tag);
            assertTrue(e.getMessage().contains("neither a valid tag nor a digest"), e.getMessage());
        }
        assertEquals(0, registry.getRequestCount(), "nothing may be sent for such a tag");
    }

    @Test
    void aListedTagThatClimbsOutIsNeverFetched() {
        String hostile = "../../victim/manifests/latest";
        registry.enqueue(new MockResponse().setBody("{\"tags\":[\"v1\",\"" + hostile + "\"]}"));
        assertEquals(List.of("v1", hostile), store.listTags(), "listed as served; printing escapes it");
        RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest(hostile));
        assertTrue(e.getMessage().contains("neither a valid tag nor a digest"), e.getMessage());
        assertEquals(1, registry.getRequestCount(), "only the tag list was asked for");
    }

    @Test
    void aTokenRealmOverPlainHttpOnAnotherHostGetsNoCredentials() throws Exception {
        // The realm is never contacted: the refusal comes before any connection.
        registry.enqueue(new MockResponse().setResponseCode(401)
                .addHeader("WWW-Authenticate", "Bearer realm=\"http://token.invalid/token\",service=\"s\""));
        RegctlException e = assertThrows(RegctlException.class, () -> store.listTags());
        assertTrue(e.getMessage().contains("plain-HTTP token realm"), e.getMessage());
    }

    @Test
    void aTokenRealmOverPlainHttpOnLoopbackIsUsedForALoopbackRegistry() throws Exception {
        registry.enqueue(new MockResponse().setResponseCode(401).addHeader("WWW-Authenticate",
                "Bearer realm=\"" + elsewhere.url("/token") + "\",service=\"s\",scope=\"repository:team/app:pull\""));
        elsewhere.enqueue(new MockResponse().setBody("{\"token\":\"T\"}"));
        registry.enqueue(new MockResponse().setBody("{\"tags\":[\"v1\"]}"));
        assertEquals(List.of("v1"), store.listTags());
        assertEquals(BASIC, elsewhere.takeRequest().getHeader("Authorization"));
    }
}
