package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.ops.FakeRegistry;
import dev.regctl.testing.ImageParts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's release pipeline, line by line, on a loopback registry without the referrers API:
 * two architectures CI pushed become one index, the tested digest gets its release tags, its SBOM
 * is attached, found among its referrers, and pulled back by type through the release tag.
 */
class ReleasePipelineTest {
    private static final String SPDX = "application/spdx+json";

    @TempDir
    Path dir;

    @Test
    void indexTagAttachReferrersPull() throws IOException {
        FakeRegistry registry = new FakeRegistry();
        for (String arch : List.of("amd64", "arm64")) {
            registry.serve("ci/app", "1.4.0-" + arch, "linux/" + arch, ImageParts.random(256, arch.hashCode()));
        }
        Path config = Files.createDirectories(dir.resolve("docker-config"));
        Path sbom = Files.writeString(dir.resolve("sbom.spdx.json"), "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\"}");
        MockWebServer server = new MockWebServer();
        server.setDispatcher(registry);
        server.start(InetAddress.getLoopbackAddress(), 0);
        try (server) {
            String app = "127.0.0.1:" + server.getPort() + "/app";
            String ci = "127.0.0.1:" + server.getPort() + "/ci/app";

            String index = ok(config, "index", "create", app + ":1.4.0", ci + ":1.4.0-amd64", ci + ":1.4.0-arm64");
            String digest = ok(config, "digest", app + ":1.4.0");
            assertEquals(index, digest);
            assertEquals(app + ":1.4\n" + app + ":latest", ok(config, "tag", app + "@" + digest, "1.4", "latest"));
            String attached = ok(config, "artifact", "attach", app + "@" + digest, sbom.toString(), "--artifact-type", SPDX);
            String referrers = ok(config, "referrers", app + "@" + digest);
            assertTrue(referrers.startsWith(attached + "  " + SPDX), referrers);
            Path out = dir.resolve("sbom");
            ok(config, "artifact", "pull", app + ":1.4.0", "--artifact-type", SPDX, "--dir", out.toString());

            assertEquals(Files.readString(sbom), Files.readString(out.resolve("sbom.spdx.json")));
            assertEquals(digest, registry.manifest("app", "latest").digest().toString());
            assertEquals(digest, registry.manifest("app", "1.4").digest().toString());
        }
    }

    private static String ok(Path config, String... args) {
        InProcessRun r = InProcessRun.of(config, args);
        assertEquals(ExitCodes.OK, r.exit(), String.join(" ", args) + ": " + r.err());
        return r.out().strip();
    }
}
