package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.cli.ExitCodes;
import dev.regctl.oci.Descriptor;
import dev.regctl.ops.FakeRegistry;
import dev.regctl.ops.Images.Image;
import dev.regctl.store.ImageStore;
import dev.regctl.store.ocidir.OciLayoutStore;
import dev.regctl.store.registry.RegistryStore;
import dev.regctl.store.registry.ScriptedRegistry;
import dev.regctl.testing.ImageParts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copy through a registry that misbehaves: dropped connections, rate limits, corrupt blobs, refusals. */
class CopierFaultTest {
    private static final CopyOptions OPTIONS = new CopyOptions(List.of(), false, false, 2);
    /** Layers above BlobsEndpoint's monolithic limit go up in PATCH chunks; this one does not. */
    private static final int LAYER = 200_000;

    @TempDir
    Path tmp;

    private ScriptedRegistry scripted;
    private final FakeRegistry registry = new FakeRegistry();
    private final List<Integer> pauses = Collections.synchronizedList(new ArrayList<>());
    private final List<java.time.Duration> asked = Collections.synchronizedList(new ArrayList<>());
    private RegistryStore source;
    private RegistryStore target;
    private Image image;

    @BeforeEach
    void start() throws Exception {
        scripted = ScriptedRegistry.start(registry);
        source = scripted.store("src/app");
        target = scripted.store("dst/app");
        image = seed("src/app", "v1", ImageParts.random(LAYER, 1), ImageParts.random(LAYER, 2));
    }

    @AfterEach
    void stop() throws Exception {
        scripted.close();
    }

    /** Builds an image in memory and serves it from the fake registry. */
    private Image seed(String repository, String tag, byte[]... layers) {
        return registry.serve(repository, tag, "linux/amd64", layers);
    }

    private CopyResult copy(ImageStore from, ImageStore to, String mountFrom) {
        Copier copier = new Copier(from, to, mountFrom, OPTIONS, (attempt, retryAfter) -> {
            pauses.add(attempt);
            asked.add(retryAfter);
        });
        return copier.execute(copier.plan(CopyRequest.parse("r.example/src/app:v1", "r.example/dst/app:v1", false)),
                CopyListener.NONE);
    }

    private Descriptor layer() {
        return image.blobs().get(1);
    }

    @Test
    void aConnectionDroppedMidBlobIsRetriedFromTheStart() throws Exception {
        registry.fault("GET", "/v2/src/app/blobs/" + layer().digest(), 1, r -> new MockResponse()
                .setBody(new Buffer().write(registry.blob("src/app", layer().digest())))
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        try (OciLayoutStore layout = OciLayoutStore.create(tmp.resolve("out"))) {
            CopyResult result = copy(source, layout, null);

            assertEquals(new CopyResult.Blobs(3, 0, 0), result.blobs());
            assertEquals(2, registry.count("GET", "/v2/src/app/blobs/" + layer().digest()));
            assertEquals(List.of(1), pauses);
            assertTrue(layout.hasBlob(layer()));
            assertEquals(image.digest(), layout.fetchManifest("v1").digest());
        }
    }

    @Test
    void aDroppedSourceRestartsTheUploadWithANewSession() {
        registry.fault("GET", "/v2/src/app/blobs/" + layer().digest(), 1, r -> new MockResponse()
                .setBody(new Buffer().write(registry.blob("src/app", layer().digest())))
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

        CopyResult result = copy(source, target, null);

        assertEquals(3, result.blobs().uploaded());
        assertEquals(4, registry.count("POST", "/v2/dst/app/blobs/uploads/"), "one new session for the retry");
        assertEquals(1, registry.count("DELETE", "/v2/dst/app/blobs/uploads/.+"), "the broken session is cancelled");
        assertArrayEquals(registry.blob("src/app", layer().digest()), registry.blob("dst/app", layer().digest()));
        assertEquals(image.manifest().digest(), registry.manifest("dst/app", "v1").digest());
    }

    @Test
    void rateLimitedUploadIsRetriedAfterBackingOff() {
        registry.fault("PUT", "/v2/dst/app/blobs/uploads/.+", 1, r -> FakeRegistry.error(429, "TOOMANYREQUESTS",
                "slow down").setHeader("Retry-After", "7"));

        CopyResult result = copy(source, target, null);

        assertEquals(3, result.blobs().uploaded());
        assertEquals(List.of(1), pauses);
        assertEquals(List.of(java.time.Duration.ofSeconds(7)), asked, "the registry's Retry-After is honoured");
        assertEquals(4, registry.count("POST", "/v2/dst/app/blobs/uploads/"));
        assertEquals(image.manifest().digest(), registry.manifest("dst/app", "v1").digest());
    }

    @Test
    void aSourceThatKeepsSendingTooFewBytesIsBlamedOnTheSourceNotTheDestination() {
        byte[] whole = registry.blob("src/app", layer().digest());
        registry.fault("GET", "/v2/src/app/blobs/" + layer().digest(), 99, r -> new MockResponse()
                .setBody(new Buffer().write(whole, 0, whole.length / 2))
                .setHeader("Content-Length", whole.length)
                .setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));

        RegctlException e = assertThrows(RegctlException.class, () -> copy(source, target, null));

        assertTrue(e.getMessage().contains("read blob " + layer().digest() + " from " + source.name()), e.getMessage());
        assertTrue(!e.getMessage().contains("upload blob"), "the destination did nothing wrong: " + e.getMessage());
        assertFailedAt(e, CopyStep.READ_BLOB, layer());
        assertEquals(0, registry.count("PUT", "/v2/dst/app/manifests/.*"));
    }

    @Test
    void aTransientFailureThatPersistsGivesUpAfterThreeAttempts() {
        registry.fault("PUT", "/v2/dst/app/blobs/uploads/.+", 99, r -> FakeRegistry.error(503, "UNAVAILABLE", "maintenance"));

        RegctlException e = assertThrows(RegctlException.class, () -> copy(source, target, null));

        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().matches(".*gave up on blob sha256:[0-9a-f]{64} after 3 attempts: .*503.*UNAVAILABLE.*"),
                e.getMessage());
        CopyFailure failure = assertInstanceOf(CopyFailure.class, e);
        assertEquals(CopyStep.WRITE_BLOB, failure.step(), "the target refused it");
        assertTrue(failure.blob().isPresent() && image.blobs().contains(failure.blob().get())
                && e.getMessage().contains("gave up on blob " + failure.blob().get().digest()), e.getMessage());
        assertEquals(0, registry.count("PUT", "/v2/dst/app/manifests/.*"));
    }

    @Test
    void aSourceBlobThatDoesNotMatchItsDigestIsRefusedAndNothingIsTagged() {
        byte[] corrupt = registry.blob("src/app", layer().digest()).clone();
        corrupt[corrupt.length / 2] ^= 1;
        registry.putBlob("src/app", layer().digest(), corrupt);

        RegctlException e = assertThrows(RegctlException.class, () -> copy(source, target, null));

        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().contains("blob " + layer().digest() + " from " + source.name()
                + " does not match its descriptor: digest mismatch"), e.getMessage());
        assertFailedAt(e, CopyStep.READ_BLOB, layer());
        assertEquals(0, registry.count("PUT", "/v2/dst/app/manifests/.*"), registry.log().toString());
        assertEquals(1, registry.count("GET", "/v2/src/app/blobs/" + layer().digest()), "never retried");
        assertEquals(List.of(), pauses);
        assertNull(registry.manifest("dst/app", "v1"));
    }

    @Test
    void aRefusedManifestNamesTheRegistrysErrorCode() {
        registry.fault("PUT", "/v2/dst/app/manifests/v1", 1, r -> FakeRegistry.error(400, "MANIFEST_INVALID",
                "manifest invalid"));

        RegctlException e = assertThrows(RegctlException.class, () -> copy(source, target, null));

        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().startsWith("copy r.example/src/app:v1 -> r.example/dst/app:v1: push manifest dst/app:v1: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("answered 400: MANIFEST_INVALID: manifest invalid"), e.getMessage());
        assertEquals(1, ExitCodes.of(e.kind()));
        assertFailedAt(e, CopyStep.MANIFEST, null);
    }

    @Test
    void aSourceWithoutTheTagFailsInPlanningWithNoBlobNamed() {
        Copier copier = new Copier(source, target, null, OPTIONS, (attempt, retryAfter) -> pauses.add(attempt));

        RegctlException e = assertThrows(RegctlException.class, () -> copier.plan(
                CopyRequest.parse("r.example/src/app:missing", "r.example/dst/app:v1", false)));

        assertEquals(RegctlException.Kind.NOT_FOUND, e.kind());
        assertFailedAt(e, CopyStep.PLAN, null);
    }

    @Test
    void aSourceBlobThatIsGoneFailsReadingItAndNamesIt() {
        registry.fault("GET", "/v2/src/app/blobs/" + layer().digest(), 1, r -> FakeRegistry.error(404, "BLOB_UNKNOWN",
                "blob unknown to registry"));

        RegctlException e = assertThrows(RegctlException.class, () -> copy(source, target, null));

        assertFailedAt(e, CopyStep.READ_BLOB, layer());
    }

    /** The failure is a copy's, typed with the step it happened in and the blob, where one was. */
    private static void assertFailedAt(RegctlException e, CopyStep step, Descriptor blob) {
        CopyFailure failure = assertInstanceOf(CopyFailure.class, e, e.toString());
        assertEquals(step, failure.step(), e.getMessage());
        assertEquals(java.util.Optional.ofNullable(blob), failure.blob(), e.getMessage());
    }

    @Test
    void sameRegistryMountsInsteadOfMovingBytes() {
        CopyResult result = copy(source, target, "src/app");

        assertEquals(new CopyResult.Blobs(0, 3, 0), result.blobs());
        assertEquals(0, result.bytes());
        assertEquals(3, registry.count("POST", "/v2/dst/app/blobs/uploads/\\?mount=sha256.*&from=src%2Fapp"), registry.log().toString());
        assertEquals(0, registry.count("PATCH", ".*"));
        assertEquals(0, registry.count("PUT", "/v2/dst/app/blobs/.*"));
        assertEquals(0, registry.count("GET", "/v2/src/app/blobs/.*"));
    }

    @Test
    void aMountThatKeepsFailingFallsBackToUploading() {
        registry.fault("POST", "/v2/dst/app/blobs/uploads/\\?mount=" + layer().digest().toString().replace(":", "(:|%3A)") + "&from=.*", 99,
                r -> FakeRegistry.error(503, "UNAVAILABLE", "mount backend down"));

        CopyResult result = copy(source, target, "src/app");

        assertEquals(new CopyResult.Blobs(1, 2, 0), result.blobs());
        assertArrayEquals(registry.blob("src/app", layer().digest()), registry.blob("dst/app", layer().digest()));
        assertEquals(image.manifest().digest(), registry.manifest("dst/app", "v1").digest());
    }
}
