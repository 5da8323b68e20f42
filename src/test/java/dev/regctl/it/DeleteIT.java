package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.cli.Main;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.it.support.CommandFailedException;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import dev.regctl.ops.Images;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code delete} and {@code prune} against the real CNCF distribution registry 2.8, checked with
 * skopeo and the registry's access log: one registry with deletes enabled, one with them off
 * (distribution's default), the latter driven through the real launcher.
 *
 * <p>Failsafe runs it and names the launcher in {@code regctl.launcher}. Surefire excludes
 * {@code it/}, except that {@code -Dtest=Delete*} overrides the exclusion; without a packaged
 * launcher the class cannot run there, so it is skipped rather than failed.
 */
@EnabledIfSystemProperty(named = "regctl.launcher", matches = ".+",
        disabledReason = "an integration test: run by failsafe (mvn verify), which packages the launcher first")
class DeleteIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Skopeo SKOPEO = Skopeo.anonymous();

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer registry;
    @AutoClose
    static RegistryServer noDelete;

    /** An empty docker config, so no developer's credentials take part. */
    private static Path dockerConfig;
    private static Path layout;
    private static LayoutImage one;
    private static LayoutImage two;

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.open().deleteEnabled(true).start();
        noDelete = RegistryServer.open().deleteEnabled(false).start();
        dockerConfig = Files.createDirectories(work.resolve("docker-config"));
        layout = work.resolve("images");
        one = TestImages.singleImage(layout, "one", 1, 512, "linux/amd64", 1L);
        two = TestImages.singleImage(layout, "two", 1, 512, "linux/amd64", 2L);
    }

    /** The exit code and both streams of one regctl run. */
    private record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    /** regctl in this JVM: fast, and the same code the launcher runs. */
    private static Run regctl(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--config", dockerConfig.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    /** The packaged launcher, for what only a real process shows: exit status, streams, no stack trace. */
    private static Run launcher(String... args) throws IOException, InterruptedException {
        String launcher = System.getProperty("regctl.launcher");
        List<String> argv = new ArrayList<>(List.of(launcher));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--config", dockerConfig.toString()));
        Path out = Files.createTempFile(work, "stdout", ".txt");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().remove("REGISTRY_AUTH_FILE");
        pb.environment().put("XDG_RUNTIME_DIR", work.toString());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "regctl did not finish within 60 s: " + argv);
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void push(LayoutImage image, RegistryServer to, String repository, String... tags) {
        for (String tag : tags) {
            TestImages.push(layout, image.tag(), to, repository + ":" + tag);
        }
    }

    private static String digestOf(RegistryServer on, String reference) {
        return sha256(SKOPEO.inspectRaw(on.docker(reference)));
    }

    private static void assertGone(RegistryServer on, String reference) {
        CommandFailedException e = assertThrows(CommandFailedException.class, () -> SKOPEO.inspectRaw(on.docker(reference)),
                reference + " should be gone");
        assertTrue(e.stderr().contains("manifest unknown"), e.stderr());
    }

    private static List<String> tags(RegistryServer on, String repository) {
        return SKOPEO.listTags(on.docker(repository)).stream().sorted().toList();
    }

    @Test
    void deleteByDigestRemovesTheManifestAndItsTag() {
        push(one, registry, "bydigest/app", "v1");
        String host = registry.host();

        Run r = regctl("delete", host + "/bydigest/app@" + one.digest());

        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(host + "/bydigest/app:v1", host + "/bydigest/app@" + one.digest()), r.outLines());
        assertEquals("", r.err());
        assertGone(registry, "bydigest/app:v1");
        assertGone(registry, "bydigest/app@" + one.digest());
        assertEquals(1, registry.countRequests("DELETE", "/v2/bydigest/app/manifests/.*"));
    }

    @Test
    void deleteByATagThatSharesItsManifestIsRefusedNamingTheOthersThenForceTakesThemAll() {
        push(one, registry, "bytag/app", "v2", "latest", "2.0.0-rc1");
        push(two, registry, "bytag/app", "v1");
        String repo = registry.host() + "/bytag/app";
        long pushes = registry.countRequests("PUT", "/v2/bytag/app/manifests/.*");

        Run refused = regctl("delete", repo + ":v2");

        assertEquals(2, refused.exit(), refused.err());
        assertEquals("", refused.out());
        assertEquals(List.of("regctl: delete " + repo + ":v2: its manifest " + one.digest() + " is also tagged 2.0.0-rc1,"
                        + " latest, which would be deleted with it; nothing was deleted",
                "hint: --tag-only removes only v2; --force deletes the manifest with all 3 tags"), refused.err().lines().toList());
        assertEquals(List.of("2.0.0-rc1", "latest", "v1", "v2"), tags(registry, "bytag/app"));
        assertEquals(0, registry.countRequests("DELETE", "/v2/bytag/.*"));
        assertEquals(pushes, registry.countRequests("PUT", "/v2/bytag/app/manifests/.*"), "no placeholder either");

        Run forced = regctl("delete", "--force", repo + ":v2");

        assertEquals(0, forced.exit(), forced.err());
        assertEquals(List.of(repo + ":2.0.0-rc1", repo + ":latest", repo + ":v2", repo + "@" + one.digest()),
                forced.outLines());
        for (String gone : List.of("latest", "v2", "2.0.0-rc1")) {
            assertGone(registry, "bytag/app:" + gone);
        }
        assertEquals(List.of("v1"), tags(registry, "bytag/app"));
        assertEquals(two.digest(), digestOf(registry, "bytag/app:v1"));
    }

    @Test
    void deleteByTheOnlyTagOfAManifestDeletesIt() {
        push(one, registry, "onlytag/app", "v1");
        push(two, registry, "onlytag/app", "v2");
        String repo = registry.host() + "/onlytag/app";

        Run r = regctl("delete", repo + ":v1");

        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(repo + ":v1", repo + "@" + one.digest()), r.outLines());
        assertGone(registry, "onlytag/app@" + one.digest());
        assertEquals(List.of("v2"), tags(registry, "onlytag/app"));
    }

    @Test
    void tagOnlyRemovesOneTagAndTheManifestStaysUnderItsOtherTag() throws Exception {
        push(one, registry, "tagonly/app", "v1", "keep");
        String repo = registry.host() + "/tagonly/app";

        Run r = regctl("delete", "--tag-only", "-o", "json", repo + ":v1");

        assertEquals(0, r.exit(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(1, j.path("tags").size(), r.out());
        assertEquals("v1", j.path("tags").get(0).asText());
        assertEquals(one.digest(), j.path("digest").asText());
        assertFalse(j.path("manifest").asBoolean());
        assertEquals(List.of("keep"), tags(registry, "tagonly/app"));
        assertEquals(one.digest(), digestOf(registry, "tagonly/app:keep"));
        assertEquals(one.digest(), digestOf(registry, "tagonly/app@" + one.digest()));
        // distribution 2.8 has no DELETE by tag: the placeholder route was taken, and only the placeholder deleted.
        assertEquals(1, registry.countRequests("DELETE", "/v2/tagonly/app/manifests/v1"));
        assertEquals(0, registry.countRequests("DELETE", "/v2/tagonly/app/manifests/" + one.digest()));
        assertEquals(1, registry.requests().stream().filter(q -> q.method().equals("DELETE")
                && q.uri().startsWith("/v2/tagonly/app/manifests/sha256:") && q.status() == 202).count());
    }

    @Test
    void dryRunsDeleteNothing() throws Exception {
        push(one, registry, "dry/app", "v1", "v1-alias");
        push(two, registry, "dry/app", "v2");
        String repo = registry.host() + "/dry/app";
        long pushes = registry.countRequests("PUT", "/v2/dry/app/manifests/.*");

        Run manifest = regctl("delete", "--dry-run", "--force", repo + ":v1");
        Run tag = regctl("delete", "--dry-run", "--tag-only", repo + ":v1");
        Run prune = regctl("prune", "--dry-run", "--keep", "0", "-o", "json", repo);

        assertEquals(0, manifest.exit(), manifest.err());
        assertEquals(List.of(repo + ":v1", repo + ":v1-alias", repo + "@" + one.digest()), manifest.outLines());
        assertEquals(0, tag.exit(), tag.err());
        assertEquals(List.of(repo + ":v1"), tag.outLines());
        assertEquals(0, prune.exit(), prune.err());
        JsonNode decisions = JSON.readTree(prune.out());
        assertEquals(3, decisions.size(), prune.out());
        decisions.forEach(d -> assertEquals("delete", d.path("action").asText(), d.toString()));
        assertEquals(0, registry.countRequests("DELETE", "/v2/dry/.*"));
        assertEquals(pushes, registry.countRequests("PUT", "/v2/dry/app/manifests/.*"));
        assertEquals(List.of("v1", "v1-alias", "v2"), tags(registry, "dry/app"));
    }

    @Test
    void pruneKeepsTheNewestAndNeverAnImageATagOutsideTheFilterUses() {
        // Ten builds, each image's config created a second after the previous one (TestImages derives it from the seed).
        List<LayoutImage> builds = IntStream.rangeClosed(1, 10)
                .mapToObj(i -> TestImages.singleImage(layout, String.format("b%02d", i), 1, 256, "linux/amd64", 100L + i))
                .toList();
        for (LayoutImage b : builds) {
            TestImages.push(layout, b.tag(), registry, "prune/app:" + b.tag());
        }
        TestImages.push(layout, "b02", registry, "prune/app:release");
        String repo = registry.host() + "/prune/app";

        Run r = regctl("prune", repo, "--keep", "3", "--filter", "b\\d+", "--older-than", "30d");

        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("b07", "b06", "b05", "b04", "b03", "b01"),
                r.outLines().stream().map(l -> l.split("\t")[0]).toList(), r.out());
        assertEquals(builds.get(6).digest(), r.outLines().get(0).split("\t")[1]);
        List<String> err = r.err().lines().toList();
        assertEquals(2, err.size(), r.err());
        assertTrue(err.get(0).matches("prune: due for deletion: tags beyond the newest 3 and older than 30d"
                + " \\(created before \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)"), err.get(0));
        assertEquals("note: not deleting b02: its manifest is also tagged release, which stays", err.get(1));
        assertEquals(List.of("b02", "b08", "b09", "b10", "release"), tags(registry, "prune/app"));
        assertEquals(builds.get(1).digest(), digestOf(registry, "prune/app:release"));
        for (int i : new int[] {0, 2, 3, 4, 5, 6}) {
            assertGone(registry, "prune/app@" + builds.get(i).digest());
        }
        assertEquals(6, registry.countRequests("DELETE", "/v2/prune/app/manifests/.*"));
    }

    /**
     * Distribution 2.8 has no referrers API, so an image's SBOMs and signatures hang off tags: the
     * {@code sha256-<hex>} index and cosign's {@code .sig}. The SBOMs carry a creation date older
     * than every image, which once made prune count their index as the oldest image and delete it.
     */
    @Test
    void pruneKeepsTheReferrerTagsOfKeptImagesAndDeletesThoseOfDeletedOnes() throws Exception {
        List<LayoutImage> builds = IntStream.rangeClosed(1, 4)
                .mapToObj(i -> TestImages.singleImage(layout, "r" + i, 1, 256, "linux/amd64", 200L + i)).toList();
        String repo = registry.host() + "/withrefs/app";
        RawManifest oldSbom;
        RawManifest oldSignature;
        RawManifest keptSbom;
        Digest oldest = Digest.parse(builds.get(0).digest());
        Digest newest = Digest.parse(builds.get(3).digest());
        try (OciLayoutStore store = OciLayoutStore.open(layout)) {
            Map<String, String> longAgo = Map.of("org.opencontainers.image.created", "2000-01-01T00:00:00Z");
            oldSbom = Images.referrer(store, store.fetchManifest("r1").descriptor(), "application/spdx+json",
                    "r1 packages", null, longAgo);
            oldSignature = Images.referrer(store, store.fetchManifest("r1").descriptor(), "application/vnd.example.sig",
                    "r1 signed", ReferrerTags.cosign(oldest).get(0));
            keptSbom = Images.referrer(store, store.fetchManifest("r4").descriptor(), "application/spdx+json",
                    "r4 packages", null, longAgo);
        }
        for (LayoutImage b : builds) {
            TestImages.push(layout, b.tag(), registry, "withrefs/app:" + b.tag());
        }
        // Pushed as any client does: the referrers by digest, the signature under cosign's tag; regctl writes the indexes.
        for (RawManifest sbom : List.of(oldSbom, keptSbom)) {
            assertEquals(0, regctl("copy", "oci:" + layout + "@" + sbom.digest(), repo + "@" + sbom.digest()).exit());
        }
        String signatureTag = ReferrerTags.cosign(oldest).get(0);
        assertEquals(0, regctl("copy", "oci:" + layout + ":" + signatureTag, repo + ":" + signatureTag).exit());
        String oldIndexTag = ReferrerTags.fallback(oldest);
        String oldIndex = digestOf(registry, "withrefs/app:" + oldIndexTag);

        Run r = regctl("prune", repo, "--keep", "2");

        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("r2", oldIndexTag, signatureTag, "r1"), r.outLines().stream().map(l -> l.split("\t")[0]).toList(),
                r.out());
        assertEquals(oldIndex, r.outLines().get(1).split("\t")[1]);
        assertEquals(List.of("r3", "r4", ReferrerTags.fallback(newest)), tags(registry, "withrefs/app"));
        Run referrers = regctl("referrers", repo + ":r4");
        assertEquals(0, referrers.exit(), referrers.err());
        assertTrue(referrers.out().contains(keptSbom.digest().toString()), "the kept image keeps its SBOM: " + referrers.out());
        assertGone(registry, "withrefs/app@" + oldest);
        assertGone(registry, "withrefs/app@" + oldIndex);
        assertGone(registry, "withrefs/app@" + oldSignature.digest());
        assertEquals(oldSbom.digest().toString(), digestOf(registry, "withrefs/app@" + oldSbom.digest()),
                "the referrer an index listed is left untagged, for the garbage collector");
        assertEquals(4, registry.countRequests("DELETE", "/v2/withrefs/app/manifests/.*"));
    }

    @Test
    void withDeletesOffEveryCommandExitsFiveWithTheHintAndChangesNothing() throws Exception {
        push(one, noDelete, "locked/app", "v1", "v1-alias");
        String repo = noDelete.host() + "/locked/app";
        long pushes = noDelete.countRequests("PUT", "/v2/locked/app/manifests/.*");

        for (String[] args : List.of(new String[] {"delete", "--force", repo + ":v1"},
                new String[] {"delete", "--tag-only", repo + ":v1"},
                new String[] {"prune", repo, "--keep", "0"})) {
            Run r = launcher(args);
            String what = String.join(" ", args);
            assertEquals(5, r.exit(), what + "\n" + r.err());
            assertEquals("", r.out(), what);
            List<String> err = r.err().lines().toList();
            assertEquals(2, err.size(), what + "\n" + r.err());
            assertTrue(err.get(0).startsWith("regctl: delete "), err.get(0));
            assertTrue(err.get(0).contains("answered 405: UNSUPPORTED"), err.get(0));
            assertTrue(err.get(1).startsWith("hint: ") && err.get(1).contains("REGISTRY_STORAGE_DELETE_ENABLED=true"),
                    err.get(1));
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
        assertEquals(pushes, noDelete.countRequests("PUT", "/v2/locked/app/manifests/.*"),
                "--tag-only never moved the tag onto a placeholder");
        assertEquals(List.of("v1", "v1-alias"), tags(noDelete, "locked/app"));
        assertEquals(one.digest(), digestOf(noDelete, "locked/app:v1"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
