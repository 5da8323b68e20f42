package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.auth.Credential;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.oci.RegistryName;
import dev.regctl.ops.Images.Image;
import dev.regctl.ops.compose.Tagger;
import dev.regctl.ops.copy.CopyListener;
import dev.regctl.ops.copy.CopyOptions;
import dev.regctl.ops.copy.CopyRequest;
import dev.regctl.ops.copy.CopyResult;
import dev.regctl.ops.copy.CopyStores;
import dev.regctl.ops.copy.Copier;
import dev.regctl.registries.Mirror;
import dev.regctl.registries.PullFromMirror;
import dev.regctl.registries.RegistriesConf;
import dev.regctl.registries.RegistryEntry;
import dev.regctl.store.ImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What registries.conf does to requests, seen on the wire: blocks that hold for a registry named as
 * a whole, mounts decided by where requests go rather than by the names typed, mirrors that serve
 * reads (referrers too, verified by digest) and never a write or the lookup before one.
 */
class RegistryRoutesTest {
    private static final CopyOptions OPTIONS = new CopyOptions(List.of(), false, false, 2);

    @TempDir
    Path dir;

    private final FakeRegistry registry = new FakeRegistry();
    private final MockWebServer server = new MockWebServer();
    private String host;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(registry);
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        host = "127.0.0.1:" + server.getPort();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private Session session(RegistryEntry... entries) {
        RegistriesConf conf = new RegistriesConf(List.of(entries));
        return new Session(new Session.Options(dir.resolve("docker"), false, null, Map.of(), () -> conf), List.of());
    }

    private RegistryEntry entry(String prefix, String location, boolean blocked, Mirror... mirrors) {
        return new RegistryEntry(prefix, location, false, blocked, List.of(mirrors), dir.resolve("registries.conf"));
    }

    @Test
    void aBlockedRegistryIsNeitherListedNorLoggedInTo() {
        RegistryName name = RegistryName.parse(host);
        try (Session session = session(entry(host, host, true))) {
            RegctlException ls = assertThrows(RegctlException.class,
                    () -> new Catalog(session).repositories(name, r -> true, 0));
            assertEquals(RegctlException.Kind.USAGE, ls.kind());
            assertEquals(host + ": blocked by " + dir.resolve("registries.conf") + " [[registry]] prefix \"" + host + "\"",
                    ls.getMessage());
            Login login = new Login(dir.resolve("docker"), Map.of());
            RegctlException in = assertThrows(RegctlException.class,
                    () -> login.login(session, name, new Credential.Basic("alice", "secret")));
            assertEquals(ls.getMessage(), in.getMessage());
        }
        assertEquals(0, server.getRequestCount(), registry.log().toString());
        assertFalse(Files.exists(dir.resolve("docker/config.json")), "no credentials stored for a blocked registry");
    }

    @Test
    void aRegistryIsUsedAsNamedWhenOnlyANamespaceOfItIsBlockedOrRemapped() {
        // As podman login and skopeo: a location rewrites images, not the registry a login is for.
        try (Session session = session(entry(host + "/secret", host + "/secret", true),
                entry(host + "/team", "127.0.0.1:9/elsewhere", false))) {
            session.registry(RegistryName.parse(host)).checkAccess("log in to " + host);
        }
        assertEquals(List.of("GET /v2/"), registry.log());
    }

    /** Seeds an image at {@code repository}:v1 of the fake registry. */
    private Image seed(String repository) {
        return seed(repository, "layer");
    }

    /** Seeds an image with one layer of {@code layer}'s bytes at {@code repository}:v1 of the fake registry. */
    private Image seed(String repository, String layer) {
        return registry.serve(repository, "v1", "linux/amd64", layer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private CopyResult copy(Session session, String from, String to) {
        CopyRequest request = CopyRequest.parse(from, to, false);
        try (CopyStores stores = CopyStores.open(session, request.source(), request.destination());
             Copier copier = new Copier(stores.source(), stores.target(), OPTIONS)) {
            return copier.execute(copier.plan(request), CopyListener.NONE);
        }
    }

    /** The mount request, as the fake registry logs it (query encoded). */
    private static String mount(String into, Descriptor blob, String from) {
        return "POST /v2/" + into + "/blobs/uploads/?mount=" + blob.digest().toString().replace(":", "%3A")
                + "&from=" + from.replace("/", "%2F");
    }

    @Test
    void aCopyBetweenTwoRemappedNamesMountsFromTheRealRepository() {
        Image image = seed("real-a/app");
        try (Session session = session(entry("a.example/team", host + "/real-a", false),
                entry("b.example/other", host + "/real-b", false))) {
            CopyResult result = copy(session, "a.example/team/app:v1", "b.example/other/app:v1");
            assertEquals(image.blobs().size(), result.blobs().mounted(), registry.log().toString());
        }
        for (Descriptor blob : image.blobs()) {
            assertTrue(registry.log().contains(mount("real-b/app", blob, "real-a/app")), registry.log().toString());
        }
        assertEquals(0, registry.count("GET", "/v2/real-a/app/blobs/.*"), "no byte moved");
    }

    @Test
    void aCopyIntoTheRegistryOfTheMirrorThatServedItMountsFromTheMirror() {
        // hub.example is out of reach (port 9 of loopback), read through its mirror on this registry.
        Image image = seed("dockerhub/library/app");
        Mirror mirror = new Mirror(host + "/dockerhub", false, PullFromMirror.ALL);
        try (Session session = session(entry("hub.example", "127.0.0.1:9", false, mirror))) {
            CopyResult result = copy(session, "hub.example/library/app:v1", host + "/team/app:v1");
            assertEquals(image.blobs().size(), result.blobs().mounted(), registry.log().toString());
        }
        for (Descriptor blob : image.blobs()) {
            assertTrue(registry.log().contains(mount("team/app", blob, "dockerhub/library/app")), registry.log().toString());
        }
        assertEquals(0, registry.count("GET", "/v2/dockerhub/library/app/blobs/.*"), "no byte moved");
    }

    /** The requests of the given methods ({@code GET|HEAD}) that reached the mirror's repositories. */
    private long toMirror(String methods) {
        return registry.log().stream().filter(l -> l.matches("(" + methods + ") /v2/mirror/.*")).count();
    }

    @Test
    void writesAndTheLookupsBeforeThemGoToThePrimaryNeverToAMirror() {
        // The mirror holds an older team/app:v1. Reads of the name are served by it; a tag, a
        // delete's lookup and a copy's target are the primary's, as containers/image has it.
        Image current = seed("team/app", "current");
        Image stale = seed("mirror/team/app", "stale");
        seed("other/app");
        Mirror mirror = new Mirror(host + "/mirror/team", false, PullFromMirror.ALL);
        ImageRef named = ImageRef.parse(host + "/team/app:v1");
        try (Session session = session(entry(host + "/team", host + "/team", false, mirror))) {
            try (ImageStore read = session.open(named, Session.Access.READ)) {
                assertEquals(stale.digest(), read.fetchManifest("v1").digest(), "reads go to the mirror first");
            }
            long mirrorRequests = toMirror("GET|HEAD");
            try (ImageStore changed = session.open(named, Session.Access.CHANGE)) {
                assertEquals(current.digest().toString(), new Tagger(changed).tag(named, List.of("v2"), false).digest());
                assertEquals(current.digest(), new Deleter(changed).planTag("v1").digest());
            }
            copy(session, host + "/other/app:v1", host + "/team/app:v3");
            assertEquals(mirrorRequests, toMirror("GET|HEAD"), registry.log().toString());
        }
        assertEquals(current.digest(), registry.manifest("team/app", "v2").digest());
        assertEquals(1, registry.count("PUT", "/v2/team/app/manifests/v3"), registry.log().toString());
        assertEquals(0, toMirror("PUT|POST|PATCH|DELETE"), registry.log().toString());
    }

    @Test
    void referrersComeFromTheMirrorAndWhatItServesByDigestIsVerified() {
        // hub.example is out of reach: only the mirror on this registry can answer.
        Image image = seed("dockerhub/library/app");
        MemoryStore scratch = new MemoryStore("scratch");
        RawManifest sbom = Images.referrer(scratch, image.manifest().descriptor(), "application/spdx+json", "sbom", null);
        registry.putManifest("dockerhub/library/app", sbom, null);
        registry.putManifest("dockerhub/library/app", Images.tagSchemaIndex(scratch, image.digest(), sbom.descriptor()),
                ReferrerTags.fallback(image.digest()));
        Image other = seed("elsewhere/app", "other bytes");
        registry.fault("GET", "/v2/dockerhub/library/app/manifests/" + image.digest(), 1, request -> new MockResponse()
                .addHeader("Content-Type", MediaTypes.OCI_MANIFEST).setBody(new Buffer().write(other.manifest().bytes())));
        Mirror mirror = new Mirror(host + "/dockerhub", false, PullFromMirror.ALL);
        try (Session session = session(entry("hub.example", "127.0.0.1:9", false, mirror));
             ImageStore store = session.open(ImageRef.parse("hub.example/library/app@" + image.digest()), Session.Access.READ)) {
            assertEquals(List.of(sbom.digest()), store.referrers(image.digest()).stream().map(Descriptor::digest).toList());
            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest(image.digest().toString()));
            assertTrue(e.getMessage().contains("digest mismatch: asked for " + image.digest()), e.getMessage());
        }
    }
}
