package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.cli.Main;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Images;
import dev.regctl.ops.sync.LayoutImages;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regctl sync} between real CNCF distribution 2.8 registries: a file of 30 repositories
 * (indexes, referrers, a platform filter), its free rerun counted in the source's access log,
 * prune, shards run as three processes at once, and a broken image among good ones.
 */
class SyncIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REPOSITORIES = 30;

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer src;
    @AutoClose
    static RegistryServer dst;
    @AutoClose
    static RegistryServer guarded;
    @AutoClose
    static Launcher launcher;

    @BeforeAll
    static void start() {
        src = RegistryServer.open().deleteEnabled(true).start();
        dst = RegistryServer.open().deleteEnabled(true).start();
        guarded = RegistryServer.htpasswd(Map.of("erin", "not given to regctl")).start();
        launcher = Launcher.create();
        Path layout = work.resolve("fixture");
        try (OciLayoutStore s = OciLayoutStore.create(layout)) {
            RawManifest v1 = LayoutImages.image(s, "v1", "linux/amd64", "one");
            LayoutImages.image(s, "v2", "linux/amd64", "two");
            LayoutImages.image(s, "v3-rc1", "linux/amd64", "three");
            LayoutImages.index(s, "multi", "many", "linux/amd64", "linux/arm64");
            // Tagged, so copying it writes the referrers fallback index.
            Images.referrer(s, v1.descriptor(), "application/vnd.example.signature", "signed", "sig");
        }
        // The first repository from the layout, the rest mounted from it: every repository the same.
        regctl("copy", "--all-tags", "oci:" + layout, src.host() + "/src/r00").ok();
        for (int i = 1; i < REPOSITORIES; i++) {
            regctl("copy", "--all-tags", "--referrers", src.host() + "/src/r00", src.host() + "/src/" + repo(i)).ok();
        }
    }

    private static String repo(int i) {
        return String.format("r%02d", i);
    }

    /**
     * 30 entries; the first five keep only linux/amd64, so their copies of the index are cut indexes
     * (and their single images, amd64 all, pass the platform check).
     */
    private static Path file(String name, String targetPrefix) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                version: 1
                defaults:
                  referrers: true
                  prune: true
                  tags: {allow: ['v.*', 'multi'], deny: ['.*-rc.*']}
                sync:
                """);
        for (int i = 0; i < REPOSITORIES; i++) {
            yaml.append("  - source: ").append(src.host()).append("/src/").append(repo(i)).append('\n')
                    .append("    target: ").append(dst.host()).append('/').append(targetPrefix).append('/').append(repo(i)).append('\n');
            if (i < 5) {
                yaml.append("    platforms: [linux/amd64]\n");
            }
        }
        return Files.writeString(work.resolve(name), yaml);
    }

    private record Run(int exit, String out, String err) {
        Run ok() {
            assertEquals(0, exit, "exit status; stdout: " + out + "\nstderr: " + err);
            return this;
        }

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError(out, e);
            }
        }
    }

    /** regctl in this JVM, with an empty docker config. */
    private static Run regctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--docker-config", work.resolve("docker-config").toString()));
        int exit = Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private static long sourceManifestGets() {
        return src.countRequests("GET", "/v2/.*/manifests/.*");
    }

    private static long targetWrites(String prefix) {
        return dst.countRequests("POST", "/v2/" + prefix + "/.*") + dst.countRequests("PUT", "/v2/" + prefix + "/.*")
                + dst.countRequests("PATCH", "/v2/" + prefix + "/.*") + dst.countRequests("DELETE", "/v2/" + prefix + "/.*");
    }

    @Test
    void mirrorsThirtyRepositoriesThenRerunsForFreeThenPrunes() throws IOException {
        Path f = file("mirror.yaml", "mirror");
        JsonNode first = regctl("sync", "-o", "json", f.toString()).ok().json();
        assertEquals(REPOSITORIES * 3, first.path("copied").asInt(), first.toString());
        assertEquals(0, first.path("failed").asInt());
        assertTrue(dst.countRequests("PUT", "/v2/mirror/r07/manifests/sha256-.*") > 0, "referrers came along");
        assertEquals(1, dst.countRequests("PUT", "/v2/mirror/r07/manifests/multi"));

        long gets = sourceManifestGets();
        long writes = targetWrites("mirror");
        JsonNode again = regctl("sync", "-o", "json", f.toString()).ok().json();
        assertEquals(REPOSITORIES * 3, again.path("skipped").asInt(), again.toString());
        assertEquals(0, again.path("bytes").asLong());
        assertEquals(gets, sourceManifestGets(), "the rerun pulled nothing from the source");
        assertEquals(writes, targetWrites("mirror"), "and wrote nothing to the target");

        regctl("delete", "--tag-only", src.host() + "/src/r03:v2").ok();
        JsonNode pruned = regctl("sync", "-o", "json", f.toString()).ok().json();
        assertEquals(1, pruned.path("pruned").asInt(), pruned.toString());
        List<String> tags = new ArrayList<>(regctl("tags", dst.host() + "/mirror/r03").ok().out().lines().toList());
        assertEquals(List.of("multi", "v1"), tags.stream().filter(t -> !t.startsWith("sha256-")).sorted().toList());
    }

    @Test
    void copyAllTagsWithAFilterRerunsWithoutPullingTheSource() {
        String from = src.host() + "/src/r09";
        String to = dst.host() + "/filtered/r09";
        JsonNode first = regctl("copy", "--all-tags", "--filter", "v[0-9]+", "-o", "json", from, to).ok().json();
        assertEquals(List.of("v1", "v2"), JSON.convertValue(first.path("tags"), List.class).stream().sorted().toList());

        long gets = sourceManifestGets();
        long writes = targetWrites("filtered");
        regctl("copy", "--all-tags", "--filter", "v[0-9]+", from, to).ok();
        assertEquals(gets, sourceManifestGets(), "unchanged tags cost the source a HEAD each, no pull");
        assertEquals(writes, targetWrites("filtered"));
    }

    @Test
    void threeShardsAtOnceSplitTheFileWithoutOverlap() throws IOException {
        Path f = file("sharded.yaml", "sharded");
        // What the whole file plans now (another test prunes a source tag), for the union to cover.
        int whole = regctl("sync", "--dry-run", "-o", "json", f.toString()).ok().json().path("images").size();
        List<Launcher.Running> running = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            running.add(launcher.call("sync", "-o", "json", "--shard", k + "/3", f.toString())
                    .timeout(Duration.ofMinutes(3)).start());
        }
        Set<String> written = new HashSet<>();
        int images = 0;
        for (Launcher.Running r : running) {
            Launcher.Result result = r.await(Duration.ofMinutes(3));
            assertEquals(0, result.exitCode(), result.toString());
            JsonNode report = JSON.readTree(result.stdout());
            images += report.path("images").size();
            Set<String> mine = new HashSet<>();
            report.path("images").forEach(i -> mine.add(i.path("target").asText().replaceAll(":[^:/]+$", "")));
            for (String repository : mine) {
                assertTrue(written.add(repository), repository + " written by two shards");
            }
        }
        assertEquals(whole, images, "the union is the whole file");
        Set<String> inLog = dst.requests().stream().filter(r -> r.method().equals("PUT"))
                .map(r -> r.uri().replaceAll("^/v2/(sharded/r\\d\\d)/.*", "$1")).filter(u -> u.startsWith("sharded/"))
                .collect(Collectors.toSet());
        assertEquals(IntStream.range(0, REPOSITORIES).mapToObj(i -> "sharded/" + repo(i)).collect(Collectors.toSet()), inLog);
    }

    /**
     * A mirror of arm64 never gets amd64 silently: an amd64 image is a failure of its own, whether it
     * would be copied now or the target already holds it from a copy made without the check.
     */
    @Test
    void anImageOfAnotherPlatformFailsAloneAndIsNotCopied() throws IOException {
        regctl("copy", src.host() + "/src/r08:v2", dst.host() + "/wrongarch/held:v2").ok();
        Path f = Files.writeString(work.resolve("wrongarch.yaml"), "version: 1\nsync:\n"
                + "- source: " + src.host() + "/src/r08:v1\n  target: " + dst.host() + "/wrongarch/app:v1\n"
                + "  platforms: [linux/arm64]\n"
                + "- source: " + src.host() + "/src/r08:v2\n  target: " + dst.host() + "/wrongarch/held:v2\n"
                + "  platforms: [linux/arm64]\n"
                + "- source: " + src.host() + "/src/r08:multi\n  target: " + dst.host() + "/wrongarch/multi:multi\n"
                + "  platforms: [linux/arm64]\n");

        Run r = regctl("sync", "-o", "json", f.toString());

        // Both failures are "no image for that platform", which digest and inspect exit 3 for.
        assertEquals(3, r.exit(), r.err());
        JsonNode report = r.json();
        assertEquals(1, report.path("copied").asInt(), report.toString());
        assertEquals(2, report.path("failed").asInt(), report.toString());
        for (JsonNode i : report.path("images")) {
            if (i.path("action").asText().equals("failed")) {
                assertTrue(i.path("error").asText().contains("is one image for linux/amd64, not linux/arm64"), i.toString());
            }
        }
        assertEquals(0, dst.countRequests("PUT", "/v2/wrongarch/app/.*"), "nothing of the amd64 image was written");
    }

    @Test
    void oneBrokenImageFailsAloneNamedInTheReport() throws IOException {
        // Content of its own, so taking a blob out of the registry's storage breaks no other test.
        Path layout = work.resolve("broken-fixture");
        try (OciLayoutStore s = OciLayoutStore.create(layout)) {
            LayoutImages.image(s, "v1", "linux/amd64", "fine alone");
            LayoutImages.image(s, "v2", "linux/amd64", "broken alone");
        }
        regctl("copy", "--all-tags", "oci:" + layout, src.host() + "/broken/app").ok();
        JsonNode v2 = JSON.readTree(regctl("inspect", "-o", "json", src.host() + "/broken/app:v2").ok().out());
        String layer = v2.path("layers").path(0).path("digest").asText().substring("sha256:".length());
        Path data = src.storageDir().resolve("docker/registry/v2/blobs/sha256/" + layer.substring(0, 2) + "/" + layer + "/data");
        assertTrue(Files.deleteIfExists(data), data.toString());

        Path f = Files.writeString(work.resolve("broken.yaml"), "version: 1\nsync:\n"
                + "- {source: " + src.host() + "/broken/app, target: " + dst.host() + "/unbroken/app}\n"
                + "- {source: " + src.host() + "/src/r02:multi, target: " + dst.host() + "/unbroken/multi}\n");
        Run r = regctl("sync", "-o", "json", f.toString());
        assertEquals(3, r.exit(), "the one failure is a blob the registry does not have: " + r.err());
        JsonNode report = r.json();
        assertEquals(2, report.path("copied").asInt(), report.toString());
        assertEquals(1, report.path("failed").asInt());
        JsonNode failed = null;
        for (JsonNode i : report.path("images")) {
            if (i.path("action").asText().equals("failed")) {
                failed = i;
            }
        }
        assertEquals(src.host() + "/broken/app:v2", failed.path("source").asText(), report.toString());
        assertTrue(!failed.path("error").asText().isBlank());
        assertTrue(r.err().contains(src.host() + "/broken/app:v2 -> " + dst.host() + "/unbroken/app:v2: "), r.err());
        assertTrue(!failed.path("error").asText().contains(src.host() + "/broken/app:v2"), "the error does not name it again: "
                + failed.path("error").asText());
    }

    /** Every image refused by a registry that wants a login: exit 4, as digest REF... says, not 1. */
    @Test
    void aTargetRefusingEveryPushExits4() throws IOException {
        Path f = Files.writeString(work.resolve("refused.yaml"), "version: 1\nsync:\n"
                + "- {source: " + src.host() + "/src/r04, target: " + guarded.host() + "/mirror/r04}\n"
                + "- {source: '" + src.host() + "/src/r05:v1', target: '" + guarded.host() + "/mirror/r05:v1'}\n");
        Run r = regctl("sync", f.toString());
        assertEquals(4, r.exit(), r.out() + r.err());
        assertTrue(r.err().matches("(?s)regctl: sync: (\\d+) of \\1 images failed:\n.*"), "every one: " + r.err());
        assertEquals(0, guarded.countRequests("PUT", "/v2/mirror/.*"), "nothing was written");
    }
    /**
     * The plan's look at the target tag is the copy's too: with platforms, a changed image costs the
     * target one read of its tag (not a HEAD, then a GET, then the copy's own questions), and an
     * unchanged one that read alone.
     */
    @Test
    void aChangedImageIsCopiedOnWhatThePlanReadOfItsTargetTag() throws IOException {
        regctl("copy", src.host() + "/src/r00:v1", src.host() + "/changing/app:v1").ok();
        Path f = Files.writeString(work.resolve("changing.yaml"), "version: 1\nsync:\n- {source: '" + src.host()
                + "/changing/app:v1', target: '" + dst.host() + "/changing/app:v1', platforms: [linux/amd64]}\n");
        regctl("sync", f.toString()).ok();
        regctl("copy", src.host() + "/src/r00:v2", src.host() + "/changing/app:v1").ok();

        int seen = dst.requests().size();
        long gets = sourceManifestGets();
        JsonNode changed = regctl("sync", "-o", "json", f.toString()).ok().json();
        assertEquals(1, changed.path("copied").asInt(), changed.toString());
        assertEquals(1, sourceManifestGets() - gets, "the source image is pulled once");
        assertEquals(List.of("GET /v2/changing/app/manifests/v1"), manifestReadsSince(seen, "v1"),
                "the target tag is read once: the copy asks nothing the plan's read told");

        seen = dst.requests().size();
        JsonNode again = regctl("sync", "-o", "json", f.toString()).ok().json();
        assertEquals(1, again.path("skipped").asInt(), again.toString());
        assertEquals(List.of("GET /v2/changing/app/manifests/v1"), manifestReadsSince(seen, ".*"),
                "a current image costs the target one read");
    }

    /** The target's requests for manifests of changing/app named by {@code name} (a regex) since the log had {@code from} lines. */
    private static List<String> manifestReadsSince(int from, String name) {
        List<RegistryServer.Request> requests = dst.requests();
        return requests.subList(from, requests.size()).stream()
                .filter(r -> r.uri().matches("/v2/changing/app/manifests/" + name) && !r.method().equals("PUT"))
                .map(r -> r.method() + " " + r.uri()).toList();
    }

    @Test
    void aLayerThreeRepositoriesShareIsUploadedOnceAndMountedTwice() throws IOException {
        Path layout = work.resolve("shared-fixture");
        try (OciLayoutStore s = OciLayoutStore.create(layout)) {
            LayoutImages.image(s, "v1", "linux/amd64", "shared by three repositories");
        }
        regctl("copy", "oci:" + layout + ":v1", src.host() + "/shared/app:v1").ok();
        JsonNode image = JSON.readTree(regctl("inspect", "-o", "json", src.host() + "/shared/app:v1").ok().out());
        String layer = image.path("layers").path(0).path("digest").asText();
        StringBuilder yaml = new StringBuilder("version: 1\nsync:\n");
        for (int i = 1; i <= 3; i++) {
            yaml.append("- {source: ").append(src.host()).append("/shared/app:v1, target: ").append(dst.host())
                    .append("/three/r").append(i).append(":v1}\n");
        }
        Path f = Files.writeString(work.resolve("three.yaml"), yaml);

        JsonNode report = regctl("sync", "-o", "json", f.toString()).ok().json();
        assertEquals(3, report.path("copied").asInt(), report.toString());
        List<RegistryServer.Request> log = dst.requests();
        long uploads = log.stream().filter(r -> r.method().equals("PUT") && r.uri().matches(
                "/v2/three/r[123]/blobs/uploads/.*[?&]digest=" + layer.replace(":", "(:|%3A)") + "(&.*)?")).count();
        long mounts = log.stream().filter(r -> r.method().equals("POST") && r.status() == 201
                && r.uri().matches("/v2/three/r[123]/blobs/uploads/\\?.*mount=" + layer.replace(":", "(:|%3A)")
                + ".*from=three(/|%2F)r[123].*")).count();
        assertEquals(1, uploads, "uploaded once: " + log);
        assertEquals(2, mounts, "then mounted into the other two: " + log);
        for (int i = 1; i <= 3; i++) {
            assertEquals(image.path("digest").asText(), JSON.readTree(regctl("inspect", "-o", "json",
                    dst.host() + "/three/r" + i + ":v1").ok().out()).path("digest").asText());
        }
    }
}
