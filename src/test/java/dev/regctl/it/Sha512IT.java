package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.cli.InProcessRun;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Skopeo;
import dev.regctl.store.ocidir.Sha512Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layout written with sha512 copied to a real distribution 2.8 registry, which takes sha512
 * blobs and a manifest pushed by tag (knowing it by its sha256), but refuses a manifest pushed
 * by its sha512 digest: an index naming its images by sha512 cannot be stored there as it is,
 * and the copy says so instead of rewriting it to sha256.
 */
class Sha512IT {

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer registry;

    private static Path noCredentials;
    private static Sha512Layout layout;

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.open().start();
        noCredentials = Files.createDirectories(work.resolve("docker-config-empty"));
        layout = Sha512Layout.write(work.resolve("sha512"));
    }

    @Test
    void anImageCopiedByTagArrivesByteForByteAndSkopeoReadsIt() throws Exception {
        InProcessRun copy = InProcessRun.of(noCredentials, "copy", "oci:" + layout.dir() + ":v1", registry.host() + "/app:v1");

        assertEquals(0, copy.exit(), copy.err());
        assertTrue(copy.out().contains(layout.amd64().digest().toString()), "the copy names what it copied: " + copy.out());
        byte[] raw = Skopeo.anonymous().inspectRaw(registry.docker("app:v1"));
        assertArrayEquals(layout.amd64Bytes(), raw);
        InProcessRun digest = InProcessRun.of(noCredentials, "digest", registry.host() + "/app:v1");
        assertEquals("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)),
                digest.out().strip(), "the registry knows the same bytes by sha256");
    }

    @Test
    void anIndexOfSha512ImagesIsRefusedNamingWhyAndNothingIsTagged() {
        InProcessRun copy = InProcessRun.of(noCredentials, "copy", "oci:" + layout.dir() + ":multi", registry.host() + "/app:multi");

        assertEquals(5, copy.exit(), copy.err());
        String first = copy.err().lines().findFirst().orElse("");
        assertTrue(first.contains(layout.amd64().digest().toString()) || first.contains(layout.arm64().digest().toString()),
                "names the manifest: " + copy.err());
        assertTrue(first.contains("sha512 digest, which this registry does not take"), copy.err());
        assertTrue(copy.err().contains("hint: "), copy.err());
        assertFalse(copy.err().contains("Exception"), copy.err());
        InProcessRun tags = InProcessRun.of(noCredentials, "tags", registry.host() + "/app");
        assertFalse(tags.out().lines().anyMatch("multi"::equals), "nothing tagged: " + tags.out());
    }
}
