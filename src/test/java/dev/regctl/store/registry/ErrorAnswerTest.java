package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

/** How an error answer reads: the status once, then what the registry said. */
class ErrorAnswerTest {

    @Test
    void anAnswerWithoutABodyGivesTheStatusLineOnce() throws java.io.IOException {
        try (ScriptedRegistry registry = ScriptedRegistry.start()) {
            registry.server().enqueue(new MockResponse().setStatus("HTTP/1.1 401 Unauthorized"));
            RegctlException e = assertThrows(RegctlException.class, () -> registry.client().checkAccess("check"));
            assertEquals("check: " + registry.client().registry() + " answered 401 Unauthorized", e.getMessage());
        }
    }

    @Test
    void aManifestByDigestIsNamedWithAnAt() throws java.io.IOException {
        String digest = "sha256:" + "a".repeat(64);
        try (ScriptedRegistry registry = ScriptedRegistry.start()) {
            registry.server().enqueue(new MockResponse().setResponseCode(404)
                    .setBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"));
            RegctlException e = assertThrows(RegctlException.class, () -> registry.store("team/app").fetchManifest(digest));
            assertEquals("fetch manifest team/app@" + digest + ": " + registry.client().registry()
                    + " answered 404: MANIFEST_UNKNOWN: manifest unknown", e.getMessage());
        }
    }

    @Test
    void anErrorBodyFollowsTheStatus() throws java.io.IOException {
        try (ScriptedRegistry registry = ScriptedRegistry.start()) {
            registry.server().enqueue(new MockResponse().setResponseCode(401)
                    .setBody("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"));
            RegctlException e = assertThrows(RegctlException.class, () -> registry.client().checkAccess("check"));
            assertEquals("check: " + registry.client().registry() + " answered 401: UNAUTHORIZED: authentication required",
                    e.getMessage());
        }
    }
}
