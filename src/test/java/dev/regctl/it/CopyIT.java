package dev.regctl.it;

import static dev.regctl.testing.ImageParts.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.cli.ContentRegistry;
import dev.regctl.cli.Main;
import dev.regctl.it.support.AuthFile;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import dev.regctl.it.support.TokenServer;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.Images;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regctl copy} against two real CNCF distribution 2.8 registries, a token-auth registry
 * and OCI layouts, with skopeo as the independent reader of what was copied. The registries are
 * shared by the whole class, so each test copies into repositories of its own.
 */
class CopyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7");

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer a;
    @AutoClose
    static RegistryServer b;
    @AutoClose
    static TokenServer tokens;
    @AutoClose
    static RegistryServer secured;

    private static Path noCredentials;
    private static LayoutImage single;
    private static LayoutImage multi;
    private static LayoutImage dockerList;
    private static final Skopeo skopeo = Skopeo.anonymous();
    private static final OkHttpClient http = new OkHttpClient();

    @BeforeAll
    static void start() throws IOException {
        a = RegistryServer.open().start();
        b = RegistryServer.open().start();
        tokens = TokenServer.builder().user("alice", "alice-secret").grant("alice", "*", "pull", "push").start();
        secured = RegistryServer.token(tokens).start();
        noCredentials = Files.createDirectories(work.resolve("docker-config-empty"));

        Path oci = work.resolve("fixtures-oci");
        single = TestImages.singleImage(oci, "single", 3, 64 * 1024, "linux/amd64", 11L);
        multi = TestImages.multiPlatformIndex(oci, "multi", PLATFORMS);
        dockerList = TestImages.multiPlatformIndex(work.resolve("fixtures-docker"), "list", PLATFORMS.subList(0, 2), 5L,
                TestImages.Format.DOCKER);
        TestImages.push(oci, "single", a, "src/app:single");
        TestImages.push(oci, "multi", a, "src/app:multi");
        TestImages.push(dockerList.dir(), "list", a, "src/app:docker-list");
    }

    /** regctl in this JVM, with an empty docker config so no developer credential leaks in. */
    private static Run regctl(String... args) {
        return regctlWithConfig(noCredentials, args);
    }

    private static Run regctlWithConfig(Path dockerConfig, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--config", dockerConfig.toString()));
        int exit = Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {
        Run ok() {
            assertEquals(0, exit, "exit status; stderr: " + err);
            return this;
        }

        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private static String ref(RegistryServer registry, String repositoryAndTag) {
        return registry.host() + "/" + repositoryAndTag;
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Requests that write to a registry: none may appear during a dry run. */
    private static long writes(RegistryServer registry) {
        return registry.countRequests("PUT", ".*") + registry.countRequests("POST", ".*")
                + registry.countRequests("PATCH", ".*") + registry.countRequests("DELETE", ".*");
    }

    @Test
    void registryToRegistryKeepsEveryDigest() {
        for (var image : Map.of("single", single, "multi", multi, "docker-list", dockerList).entrySet()) {
            regctl("copy", ref(a, "src/app:" + image.getKey()), ref(b, "exact/app:" + image.getKey())).ok();
            byte[] copied = skopeo.inspectRaw(b.docker("exact/app:" + image.getKey()));
            assertEquals(image.getValue().digest(), sha256(copied), image.getKey());
            assertArrayEquals(skopeo.inspectRaw(a.docker("src/app:" + image.getKey())), copied);
            for (String child : image.getValue().children()) {
                assertEquals(child, sha256(skopeo.inspectRaw(b.docker("exact/app@" + child))), "child " + child);
            }
        }
        JsonNode arm = skopeo.inspectConfig(b.docker("exact/app:multi"), "--override-arch", "arm", "--override-variant", "v7");
        assertEquals("v7", arm.path("variant").asText());
    }

    @Test
    void aSecondCopyUploadsNoBlobAndPushesNoManifest() {
        String src = ref(a, "src/app:multi");
        String dst = ref(b, "again/app:multi");
        Run first = regctl("copy", src, dst).ok();
        assertTrue(b.countRequests("PUT", "/v2/again/app/blobs/uploads/.*") > 0);
        assertTrue(first.out().contains("(" + multi.blobs().size() + " blobs uploaded, 0 mounted, 0 skipped"), first.out());
        long uploads = b.countRequests("POST", "/v2/again/app/blobs/uploads/.*");
        long manifests = b.countRequests("PUT", "/v2/again/app/manifests/.*");

        Run second = regctl("copy", src, dst).ok();

        assertEquals(uploads, b.countRequests("POST", "/v2/again/app/blobs/uploads/.*"), "no blob upload started");
        assertEquals(manifests, b.countRequests("PUT", "/v2/again/app/manifests/.*"), "no manifest pushed");
        assertTrue(second.out().startsWith("copied " + src + " -> " + dst + " " + multi.digest()
                + " (0 blobs uploaded, 0 mounted, 0 skipped, 0 B in "), second.out());
    }

    @Test
    void withinOneRegistryBlobsAreMountedNotMoved() {
        Run r = regctl("copy", "-o", "json", ref(a, "src/app:single"), ref(a, "mounted/app:single")).ok();

        assertEquals(single.blobs().size(), a.countRequests("POST", "/v2/mounted/app/blobs/uploads/\\?.*mount=.*"),
                a.requests().toString());
        assertEquals(0, a.countRequests("PATCH", "/v2/mounted/app/.*"));
        assertEquals(0, a.countRequests("PUT", "/v2/mounted/app/blobs/.*"));
        assertEquals(single.digest(), sha256(skopeo.inspectRaw(a.docker("mounted/app:single"))));
        try {
            assertEquals(single.blobs().size(), r.json().path("blobs").path("mounted").asInt());
            assertEquals(0, r.json().path("bytes").asLong());
        } catch (IOException e) {
            throw new AssertionError(r.out(), e);
        }
    }

    @Test
    void registryToLayoutToRegistryAndLayoutToLayout() {
        Path out = work.resolve("layout-out");
        regctl("copy", ref(a, "src/app:multi"), "oci:" + out + ":multi").ok();
        assertEquals(multi.digest(), sha256(skopeo.inspectRaw("oci:" + out + ":multi")));
        // skopeo reads every blob of the layout (and checks each digest) on its way to a registry.
        skopeo.copy("oci:" + out + ":multi", b.docker("skopeo-read/app:multi"), "--all", "--preserve-digests");
        assertEquals(multi.digest(), sha256(skopeo.inspectRaw(b.docker("skopeo-read/app:multi"))));

        regctl("copy", "oci:" + out + ":multi", ref(b, "from-layout/app:v1")).ok();
        assertEquals(multi.digest(), sha256(skopeo.inspectRaw(b.docker("from-layout/app:v1"))));

        Path again = work.resolve("layout-again");
        regctl("copy", "oci:" + out + ":multi", "oci:" + again).ok();
        assertEquals(multi.digest(), sha256(skopeo.inspectRaw("oci:" + again + ":multi")), "named without a tag: the source's");
        skopeo.copy("oci:" + again + ":multi", b.docker("skopeo-read2/app:multi"), "--all", "--preserve-digests");

        regctl("copy", "oci:" + single.dir() + ":single", "oci:" + again + ":single").ok();
        assertEquals(single.digest(), sha256(skopeo.inspectRaw("oci:" + again + ":single")));
        try (OciLayoutStore layout = OciLayoutStore.open(again)) {
            assertEquals(List.of("multi", "single"), layout.listTags(), "both images in one layout");
        }
    }

    @Test
    void platformPicksOneChildOrMakesANewIndex() throws IOException {
        String arm64 = multi.children().get(1);
        Run one = regctl("copy", "-o", "json", "--platform", "linux/arm64", ref(a, "src/app:multi"), ref(b, "plat/app:one")).ok();
        assertEquals(arm64, one.json().path("digest").asText());
        assertFalse(one.json().path("digestChanged").asBoolean());
        assertEquals(arm64, sha256(skopeo.inspectRaw(b.docker("plat/app:one"))));

        Run two = regctl("copy", "-o", "json", "--platform", "linux/arm/v7,linux/amd64", ref(a, "src/app:multi"),
                ref(b, "plat/app:two")).ok();
        assertTrue(two.json().path("digestChanged").asBoolean());
        byte[] index = skopeo.inspectRaw(b.docker("plat/app:two"));
        assertEquals(two.json().path("digest").asText(), sha256(index));
        JsonNode tree = JSON.readTree(index);
        assertEquals(MediaTypes.OCI_INDEX, tree.path("mediaType").asText());
        List<String> kept = new ArrayList<>();
        tree.path("manifests").forEach(m -> kept.add(m.path("digest").asText()));
        assertEquals(List.of(multi.children().get(0), multi.children().get(2)), kept);
        assertEquals("amd64", skopeo.inspectConfig(b.docker("plat/app:two"), "--override-arch", "amd64")
                .path("architecture").asText());

        Run none = regctl("copy", "--platform", "windows/amd64", ref(a, "src/app:multi"), ref(b, "plat/app:none"));
        assertEquals(3, none.exit());
        assertTrue(none.err().contains("has no image for windows/amd64; its platforms: linux/amd64, linux/arm64/v8, linux/arm/v7"),
                none.err());
    }

    /** A CI job mirroring arm64 must not get amd64 silently: refused like digest and inspect refuse it, nothing written. */
    @Test
    void platformOfASingleImageOfAnotherPlatformExitsThreeAsDigestDoesAndWritesNothing() {
        long writes = writes(b);

        Run copy = regctl("copy", "--platform", "linux/arm64", ref(a, "src/app:single"), ref(b, "plat/app:mismatch"));
        Run digest = regctl("digest", "--platform", "linux/arm64", ref(a, "src/app:single"));

        assertEquals(3, copy.exit(), copy.err());
        assertEquals(3, digest.exit(), digest.err());
        assertEquals("", copy.out());
        assertEquals(List.of("regctl: copy " + ref(a, "src/app:single") + " -> " + ref(b, "plat/app:mismatch") + ": "
                        + ref(a, "src/app:single") + " is one image for linux/amd64, not linux/arm64",
                "hint: leave out --platform, or name an index that has linux/arm64"), copy.err().lines().toList());
        assertEquals(digest.err().lines().toList().get(1), copy.err().lines().toList().get(1));
        assertEquals(writes, writes(b), "nothing reached the destination");

        Run matching = regctl("copy", "-o", "json", "--platform", "linux/amd64", ref(a, "src/app:single"),
                ref(b, "plat/app:match")).ok();
        assertEquals(single.digest(), sha256(skopeo.inspectRaw(b.docker("plat/app:match"))));
        assertTrue(matching.out().contains(single.digest()), matching.out());
    }

    @Test
    void allTagsCopiesARepositoryAndAResumedSyncMovesOnlyWhatIsMissing() throws IOException {
        Map<String, String> seeded;
        try (Seeder seeder = Seeder.of(a)) {
            seeded = seeder.tags("many/app", 25);
        }
        // An interrupted earlier sync got as far as one tag.
        regctl("copy", ref(a, "many/app:t00003"), ref(b, "many/app:t00003")).ok();
        // Counted by the PUT that closes each upload with its bytes (a small blob's upload starts
        // with a POST that may find the blob present instead).
        long uploads = b.countRequests("PUT", "/v2/many/app/blobs/uploads/.*");
        assertEquals(2, uploads, "the seeded config and layer");
        long heads = b.countRequests("HEAD", "/v2/many/app/blobs/.*");

        Run sync = regctl("copy", "--all-tags", "-o", "json", ref(a, "many/app"), ref(b, "many/app")).ok();

        assertEquals(uploads, b.countRequests("PUT", "/v2/many/app/blobs/uploads/.*"), "every blob was there already");
        assertEquals(2, sync.json().path("blobs").path("skipped").asInt(), sync.out());
        assertEquals(heads, b.countRequests("HEAD", "/v2/many/app/blobs/.*"),
                "distribution answers a mount from the repository itself, so small blobs need no HEAD");
        assertEquals(24, b.countRequests("PUT", "/v2/many/app/manifests/t\\d+") - 1, "only the missing tags");
        assertEquals(25, sync.json().path("tags").size());
        assertTrue(sync.json().path("digest").isNull());
        List<String> tags = skopeo.listTags(b.docker("many/app"));
        assertEquals(List.copyOf(seeded.keySet()), tags.stream().sorted().toList());
        for (var tag : seeded.entrySet()) {
            try (Response r = http.newCall(new Request.Builder().url(b.url() + "/v2/many/app/manifests/" + tag.getKey())
                    .header("Accept", MediaTypes.OCI_MANIFEST).build()).execute()) {
                assertEquals(tag.getValue(), sha256(r.body().bytes()), tag.getKey());
            }
        }
    }

    @Test
    void dryRunWritesNothing() throws IOException {
        long before = writes(b);
        Run r = regctl("copy", "--dry-run", ref(a, "src/app:multi"), ref(b, "dry/app:multi")).ok();
        assertEquals(before, writes(b), "no PUT, POST, PATCH or DELETE");
        assertEquals(multi.blobs().size(), r.out().lines().filter(l -> l.startsWith("blob upload ")).count(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.equals("tag multi -> " + multi.digest())), r.out());

        Path layout = work.resolve("dry-layout");
        JsonNode plan = regctl("copy", "--dry-run", "-o", "json", ref(a, "src/app:single"), "oci:" + layout + ":v1").ok().json();
        assertEquals(single.blobs().size(), plan.path("totals").path("upload").path("count").asInt());
        assertFalse(Files.exists(layout));
    }

    @Test
    void tokenAuthTargetGetsAPushScope() throws IOException {
        Path config = Files.createDirectories(work.resolve("docker-config-alice"));
        String auth = Base64.getEncoder().encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8));
        Files.writeString(config.resolve("config.json"), "{\"auths\":{\"" + secured.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        tokens.clearRequests();

        regctlWithConfig(config, "copy", ref(a, "src/app:single"), ref(secured, "private/app:single")).ok();

        assertTrue(tokens.requests().stream().anyMatch(t -> t.user().equals("alice")
                && t.granted().contains("repository:private/app:pull,push")), tokens.requests().toString());
        try (AuthFile alice = AuthFile.create().login(secured.host(), "alice", "alice-secret")) {
            assertEquals(single.digest(), sha256(Skopeo.withAuthFile(alice.path()).inspectRaw(secured.docker("private/app:single"))));
        }
        Run anonymous = regctl("copy", ref(a, "src/app:single"), ref(secured, "private/other:single"));
        assertEquals(4, anonymous.exit(), anonymous.err());
    }

    @Test
    void tagAndDigestThatDisagreeAreRefused() {
        Run r = regctl("copy", ref(a, "src/app:single@" + multi.digest()), ref(b, "pinned/app:x"));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("src/app:single points to " + single.digest() + ", not " + multi.digest()), r.err());
        assertEquals(0, b.countRequests("PUT", "/v2/pinned/app/.*"));
        regctl("copy", ref(a, "src/app:single@" + single.digest()), ref(b, "pinned/app:x")).ok();
    }

    @Test
    void referrersTravelWithTheirSubjectThroughTheTagSchema() throws IOException {
        Path src = work.resolve("referrers-src");
        Digest subject;
        RawManifest signature;
        RawManifest cosign;
        try (OciLayoutStore layout = OciLayoutStore.create(src)) {
            RawManifest image = layout.fetchManifest(copyInto(layout));
            subject = image.digest();
            signature = Images.referrer(layout, image.descriptor(), "application/vnd.example.signature", "signed", null);
            cosign = Images.referrer(layout, null, "application/vnd.dev.cosign.simplesigning.v1+json", "cosign",
                    ReferrerTags.cosign(subject).get(0));
        }

        regctl("copy", "--referrers", "oci:" + src + ":v1", ref(b, "ref/app:v1")).ok();

        // distribution 2.8 has no referrers API: copy wrote the tag schema's index for it.
        JsonNode index = JSON.readTree(skopeo.inspectRaw(b.docker("ref/app:" + ReferrerTags.fallback(subject))));
        assertEquals(signature.digest().toString(), index.path("manifests").path(0).path("digest").asText(), index.toString());
        assertEquals("application/vnd.example.signature", index.path("manifests").path(0).path("artifactType").asText());
        assertEquals(cosign.digest().toString(), sha256(skopeo.inspectRaw(b.docker("ref/app:" + ReferrerTags.cosign(subject).get(0)))));

        Path back = work.resolve("referrers-back");
        regctl("copy", "--referrers", ref(b, "ref/app:v1"), "oci:" + back + ":v1").ok();
        try (OciLayoutStore layout = OciLayoutStore.open(back)) {
            assertTrue(layout.referrers(subject).stream().map(d -> d.digest().toString()).toList()
                    .contains(signature.digest().toString()), layout.listTags().toString());
            assertTrue(layout.listTags().contains(ReferrerTags.cosign(subject).get(0)));
        }
    }

    /**
     * An OCI 1.1-rc artifact manifest, as ORAS 1.0 pushed it to registries that took it, has no
     * place on distribution 2.8 (it answers MANIFEST_INVALID): the copy fails naming it, exit 5,
     * whether it is the image asked for or a referrer of it, never exit 0 without it.
     */
    @Test
    void anArtifactManifestTheRegistryRefusesFailsTheCopyNamingIt() throws IOException {
        try (ContentRegistry source = new ContentRegistry()) {
            Descriptor config = source.blob(MediaTypes.OCI_CONFIG, ("{\"architecture\":\"amd64\",\"os\":\"linux\","
                    + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8));
            RawManifest image = source.manifest(RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                    + "\",\"config\":" + json(config) + ",\"layers\":[]}").getBytes(StandardCharsets.UTF_8), null), "v1");
            Descriptor file = source.blob("application/spdx+json", "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8));
            RawManifest sbom = source.manifest(RawManifest.of(("{\"mediaType\":\"" + MediaTypes.OCI_ARTIFACT_MANIFEST
                    + "\",\"artifactType\":\"application/spdx+json\",\"blobs\":[" + json(file) + "],\"subject\":"
                    + json(image.descriptor()) + "}").getBytes(StandardCharsets.UTF_8), null), "sbom");
            // Where the registry had no referrers API, ORAS listed it in the tag schema's index.
            source.manifest(RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                    + "\",\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_ARTIFACT_MANIFEST + "\",\"digest\":\"" + sbom.digest()
                    + "\",\"size\":" + sbom.size() + ",\"artifactType\":\"application/spdx+json\"}]}").getBytes(StandardCharsets.UTF_8),
                    null), ReferrerTags.fallback(image.digest()));
            String refused = sbom.digest() + " is an OCI 1.1-rc artifact manifest (" + MediaTypes.OCI_ARTIFACT_MANIFEST + ")";

            Run withReferrers = regctl("copy", "--referrers", source.repository() + ":v1", ref(b, "artifact/app:v1"));
            assertEquals(5, withReferrers.exit(), withReferrers.err());
            assertTrue(withReferrers.err().contains(refused), withReferrers.err());
            assertTrue(withReferrers.err().contains("hint: "), withReferrers.err());

            Run direct = regctl("copy", source.repository() + ":sbom", ref(b, "artifact/app:sbom"));
            assertEquals(5, direct.exit(), direct.err());
            assertTrue(direct.err().contains(refused), direct.err());
        }
    }

    /** Copies the single-image fixture into {@code layout} under tag v1; returns the tag. */
    private static String copyInto(OciLayoutStore layout) {
        try (OciLayoutStore fixture = OciLayoutStore.open(single.dir())) {
            RawManifest image = fixture.fetchManifest("single");
            for (Descriptor blob : blobsOf(image)) {
                try (var in = fixture.openBlob(blob)) {
                    layout.putBlob(blob, in);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            layout.putManifest(image, "v1");
        }
        return "v1";
    }

    private static List<Descriptor> blobsOf(RawManifest image) {
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(image.manifest().config());
        blobs.addAll(image.manifest().layers());
        return blobs;
    }

    @Test
    void theLauncherCopiesA64MiBLayerWithinItsSmallHeap() throws Exception {
        Path big = work.resolve("fixtures-big");
        LayoutImage image = TestImages.singleImage(big, "v1", 1, 64 * 1024 * 1024, "linux/amd64", 64L);
        TestImages.push(big, "v1", a, "big/app:v1");

        Launched copy = launch("copy", "-o", "json", ref(a, "big/app:v1"), ref(b, "big/app:v1"));

        assertEquals(0, copy.exit(), copy.err());
        assertEquals("", copy.err());
        JsonNode result = JSON.readTree(copy.out());
        assertTrue(result.path("bytes").asLong() > 64L * 1024 * 1024, copy.out());
        assertEquals(image.digest(), result.path("digest").asText());
        assertEquals(image.digest(), sha256(skopeo.inspectRaw(b.docker("big/app:v1"))));
        assertEquals(1, b.countRequests("PATCH", "/v2/big/app/blobs/uploads/.*"), "the big layer went up in one PATCH");

        Launched text = launch("copy", ref(a, "big/app:v1"), "oci:" + work.resolve("big-layout") + ":v1");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().matches("copied " + ref(a, "big/app:v1") + " -> oci:" + work.resolve("big-layout")
                + ":v1 " + image.digest() + " \\(2 blobs uploaded, 0 mounted, 0 skipped, 64\\.\\d MiB in \\d+\\.\\d s\\)\n"),
                text.out());

        Launched missing = launch("copy", ref(a, "big/app:nope"), ref(b, "big/app:nope"));
        assertEquals(3, missing.exit());
        assertEquals("", missing.out());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("regctl: copy "), missing.err());
    }

    private record Launched(int exit, String out, String err) {
    }

    /** Runs the real launcher, target/regctl (JVM flags as shipped), with no credentials. */
    private static Launched launch(String... args) throws Exception {
        String launcher = System.getProperty("regctl.launcher");
        assertTrue(launcher != null && Files.isExecutable(Path.of(launcher)),
                "regctl.launcher (set by failsafe) must name the built target/regctl: " + launcher);
        List<String> argv = new ArrayList<>(List.of(launcher));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("DOCKER_CONFIG", noCredentials.toString());
        builder.environment().remove("REGISTRY_AUTH_FILE");
        builder.environment().remove("REGCTL_JAVA_OPTS");
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("regctl " + String.join(" ", args) + " ran for over two minutes");
        }
        return new Launched(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
