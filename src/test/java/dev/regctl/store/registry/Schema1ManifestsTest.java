package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.SignedSchema1;
import java.io.IOException;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Signed schema 1 against the manifests endpoint: fetched by its payload digest, refusals are exit 5. */
class Schema1ManifestsTest {
    private static final Digest PAYLOAD = Digest.sha256(SignedSchema1.payload());

    private static MockResponse signed(String time) {
        return new MockResponse().setBody(new okio.Buffer().write(SignedSchema1.signed(time)))
                .addHeader("Content-Type", MediaTypes.DOCKER_SCHEMA1_SIGNED)
                .addHeader("Docker-Content-Digest", PAYLOAD.toString());
    }

    @Test
    void aSignedManifestFetchedByTagHasTheDigestTheRegistryAnnounces() throws Exception {
        try (ScriptedRegistry registry = ScriptedRegistry.start()) {
            registry.server().enqueue(signed("2024-01-01T00:00:00Z"));
            RawManifest m = registry.store("app").fetchManifest("v1");
            assertEquals(PAYLOAD, m.digest());
            assertEquals(MediaTypes.DOCKER_SCHEMA1_SIGNED, m.mediaType());
            String accept = registry.server().takeRequest().getHeader("Accept");
            assertTrue(accept.contains(MediaTypes.DOCKER_SCHEMA1_SIGNED), accept);
        }
    }

    @Test
    void aSignedManifestFetchedByDigestIsCheckedAgainstItsPayload() throws Exception {
        try (ScriptedRegistry registry = ScriptedRegistry.start()) {
            registry.server().enqueue(signed("2024-01-02T00:00:00Z"));
            assertEquals(PAYLOAD, registry.store("app").fetchManifest(PAYLOAD.toString()).digest());
        }
    }

    @Test
    void aRegistryThatRefusesSchema1IsUnsupportedWithAHint() throws IOException {
        // distribution 2.8 without compatibility.schema1.enabled: 500 UNKNOWN, on every try.
        try (ScriptedRegistry registry = ScriptedRegistry.start(always(new MockResponse().setResponseCode(500)
                .setBody("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"unknown error\",\"detail\":{}}]}")))) {
            RawManifest m = RawManifest.of(SignedSchema1.signed("t"), MediaTypes.DOCKER_SCHEMA1_SIGNED);
            RegctlException e = assertThrows(RegctlException.class, () -> registry.store("app").putManifest(m, "v1"));
            assertEquals(RegctlException.Kind.UNSUPPORTED, e.kind());
            assertTrue(e.getMessage().contains("schema 1"), e.getMessage());
            assertTrue(e.hint().contains("compatibility.schema1.enabled"), e.hint());
        }
    }

    @Test
    void missingBlobsAreNotTakenForARefusalOfSchema1() throws IOException {
        try (ScriptedRegistry registry = ScriptedRegistry.start(always(new MockResponse().setResponseCode(400)
                .setBody("{\"errors\":[{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}")))) {
            RawManifest m = RawManifest.of(SignedSchema1.signed("t"), MediaTypes.DOCKER_SCHEMA1_SIGNED);
            RegctlException e = assertThrows(RegctlException.class, () -> registry.store("app").putManifest(m, "v1"));
            assertEquals(RegctlException.Kind.FAILURE, e.kind());
        }
    }

    private static Dispatcher always(MockResponse answer) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer;
            }
        };
    }
}
