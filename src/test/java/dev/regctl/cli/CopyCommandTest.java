package dev.regctl.cli;

import static dev.regctl.testing.ImageParts.blob;
import static dev.regctl.testing.ImageParts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regctl copy} between OCI layouts: what it prints, its exit codes, and that a dry run changes nothing. */
class CopyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path src;
    private RawManifest amd;
    private RawManifest index;

    private InProcessRun run(String... args) {
        return InProcessRun.of(tmp.resolve("docker"), args);
    }

    @BeforeEach
    void layout() {
        src = tmp.resolve("src");
        try (OciLayoutStore store = OciLayoutStore.create(src)) {
            amd = image(store, "amd64", "layer for amd64");
            RawManifest arm = image(store, "arm64", "layer for arm64");
            store.putManifest(amd, "solo");
            index = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                    + json(amd.descriptor(), "amd64") + "," + json(arm.descriptor(), "arm64") + "]}")
                    .getBytes(StandardCharsets.UTF_8), null);
            store.putManifest(index, "v1");
        }
    }

    @Test
    void printsOneSummaryLineAndNothingOnStderr() {
        InProcessRun r = run("copy", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst") + ":v2");

        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).matches("copied oci:" + src + ":v1 -> oci:" + tmp.resolve("dst") + ":v2 " + index.digest()
                + " \\(4 blobs uploaded, 0 mounted, 0 skipped, [0-9.]+ B in [0-9]+\\.[0-9] s\\)"), lines.get(0));

        InProcessRun again = run("copy", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst") + ":v2");
        assertTrue(again.out().contains("(0 blobs uploaded, 0 mounted, 0 skipped, 0 B in "), again.out());
    }

    @Test
    void jsonIsOneDocumentWithTheDocumentedFields() throws Exception {
        InProcessRun r = run("copy", "-o", "json", "--platform", "linux/arm64", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst"));

        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(List.of("source", "destination", "digest", "digestChanged", "manifests", "blobs", "bytes", "seconds",
                "tags", "images"), names(doc.fieldNames()));
        assertEquals(List.of("uploaded", "mounted", "skipped"), names(doc.get("blobs").fieldNames()));
        assertEquals("oci:" + tmp.resolve("dst") + ":v1", doc.get("destination").asText());
        assertEquals(index.index().manifests().get(1).digest().toString(), doc.get("digest").asText(), "the arm64 child, unchanged");
        assertFalse(doc.get("digestChanged").asBoolean());
        assertEquals(1, doc.get("manifests").asInt());
        assertEquals(2, doc.get("blobs").get("uploaded").asInt());
        assertTrue(doc.get("bytes").asLong() > 0);
        assertEquals("[\"v1\"]", doc.get("tags").toString());
        assertEquals(List.of("source", "tag", "digest", "sourceDigest", "digestChanged", "readFrom"),
                names(doc.get("images").get(0).fieldNames()));
        assertEquals("oci:" + src, doc.get("images").get(0).get("readFrom").asText(), "no mirror: the source itself");
        assertEquals(index.digest().toString(), doc.get("images").get(0).get("sourceDigest").asText());
    }

    @Test
    void dryRunPrintsEveryStepAndCreatesNothing() {
        Path dst = tmp.resolve("not-yet");
        InProcessRun r = run("copy", "--dry-run", "oci:" + src + ":v1", "oci:" + dst + ":v1");

        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(dst));
        List<String> lines = r.out().lines().toList();
        assertEquals("plan: copy oci:" + src + ":v1 -> oci:" + dst + ":v1 " + index.digest(), lines.get(0));
        assertEquals(3, lines.stream().filter(l -> l.startsWith("manifest push sha256:")).count(), r.out());
        assertEquals(4, lines.stream().filter(l -> l.startsWith("blob upload sha256:")).count(), r.out());
        assertTrue(lines.contains("tag v1 -> " + index.digest()), r.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("dry run: 3 manifests to push, 0 present; 4 blobs to upload ("),
                lines.get(lines.size() - 1));
        assertTrue(lines.get(lines.size() - 1).endsWith("nothing changed"));
    }

    @Test
    void dryRunJsonListsTheSteps() throws Exception {
        run("copy", "oci:" + src + ":solo", "oci:" + tmp.resolve("dst") + ":solo");
        InProcessRun r = run("copy", "--dry-run", "-o", "json", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst") + ":v1");

        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(doc.get("dryRun").asBoolean());
        // solo is the amd64 child: present, so its blobs are not even looked at; arm64's two go up.
        assertEquals(0, doc.get("totals").get("skip").get("count").asInt());
        assertEquals(2, doc.get("totals").get("upload").get("count").asInt());
        List<String> actions = new ArrayList<>();
        doc.get("manifests").forEach(m -> actions.add(m.get("action").asText()));
        assertEquals(List.of("skip", "push", "push"), actions, "solo's manifest is the amd64 child");
    }

    @Test
    void aMissingPlatformExitsThreeNamingTheAvailableOnes() {
        InProcessRun r = run("copy", "--platform", "linux/s390x", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst") + ":v1");

        assertEquals(3, r.exit());
        assertEquals("", r.out());
        List<String> err = r.err().lines().toList();
        assertEquals(1, err.size(), r.err());
        assertTrue(err.get(0).startsWith("regctl: copy oci:" + src + ":v1 -> "), err.get(0));
        assertTrue(err.get(0).endsWith("has no image for linux/s390x; its platforms: linux/amd64, linux/arm64"), err.get(0));
    }

    @Test
    void aSingleImageOfAnotherPlatformExitsThreeAsDigestAndInspectDoAndCopiesNothing() {
        Path dst = tmp.resolve("arm64-mirror");
        InProcessRun copy = run("copy", "--platform", "linux/arm64", "oci:" + src + ":solo", "oci:" + dst + ":solo");
        InProcessRun digest = run("digest", "--platform", "linux/arm64", "oci:" + src + ":solo");

        assertEquals(3, copy.exit(), copy.err());
        assertEquals(3, digest.exit(), digest.err());
        assertEquals("", copy.out());
        List<String> err = copy.err().lines().toList();
        assertEquals(List.of("regctl: copy oci:" + src + ":solo -> oci:" + dst + ":solo: oci:" + src
                        + ":solo is one image for linux/amd64, not linux/arm64",
                "hint: leave out --platform, or name an index that has linux/arm64"), err);
        assertEquals(digest.err().lines().toList().get(1), err.get(1), "the same check, the same words");
        assertFalse(Files.exists(dst), "nothing was written");
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("copy", "--all-tags", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst")).exit());
        assertEquals(2, run("copy", "--all-tags", "oci:" + src, "oci:" + tmp.resolve("dst") + ":v1").exit());
        assertEquals(2, run("copy", "-j", "0", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst")).exit());
        assertEquals(2, run("copy", "--platform", "linux", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst")).exit());
        assertEquals(2, run("copy", "oci:" + src, "oci:" + tmp.resolve("dst")).exit(), "two tags: which one?");
        assertFalse(Files.exists(tmp.resolve("dst")));
    }

    @Test
    void allTagsCopiesEveryTag() {
        InProcessRun r = run("copy", "--all-tags", "oci:" + src, "oci:" + tmp.resolve("dst"));

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("copied 2 tags oci:" + src + " -> oci:" + tmp.resolve("dst") + " ("), r.out());
        try (OciLayoutStore dst = OciLayoutStore.open(tmp.resolve("dst"))) {
            assertEquals(List.of("solo", "v1"), dst.listTags().stream().sorted().toList());
        }
    }

    @Test
    void allTagsWithAFilterCopiesTheTagsItMatchesWhole() {
        InProcessRun r = run("copy", "--all-tags", "--filter", "v.", "oci:" + src, "oci:" + tmp.resolve("dst"));

        assertEquals(0, r.exit(), r.err());
        try (OciLayoutStore dst = OciLayoutStore.open(tmp.resolve("dst"))) {
            assertEquals(List.of("v1"), dst.listTags());
        }
        assertEquals(3, run("copy", "--all-tags", "--filter", "v", "oci:" + src, "oci:" + tmp.resolve("none")).exit(),
                "no tag matches \"v\" as a whole");
        InProcessRun alone = run("copy", "--filter", "v.", "oci:" + src + ":v1", "oci:" + tmp.resolve("none"));
        assertEquals(2, alone.exit());
        assertTrue(alone.err().startsWith("regctl: --filter picks tags of a repository: give --all-tags too"), alone.err());
        assertFalse(Files.exists(tmp.resolve("none")));
    }

    @Test
    void formatConvertsBothWaysAndTheRoundTripGivesTheSourceDigestBack() throws Exception {
        Path docker = tmp.resolve("docker-layout");
        InProcessRun toDocker = run("copy", "--format", "v2s2", "oci:" + src + ":v1", "oci:" + docker + ":v1");

        assertEquals(0, toDocker.exit(), toDocker.err());
        assertEquals("", toDocker.err(), "asked for docker types: no note");
        assertTrue(toDocker.out().contains("; written as Docker schema 2 with a new digest, the source's is "
                + index.digest() + ")"), toDocker.out());
        String entryType;
        try (OciLayoutStore dst = OciLayoutStore.open(docker)) {
            entryType = dst.fetchManifest("v1").mediaType();
        }
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, entryType);

        InProcessRun exact = run("copy", "oci:" + docker + ":v1", "oci:" + tmp.resolve("exact") + ":v1");
        assertEquals(0, exact.exit(), exact.err());
        assertEquals(List.of("regctl: note: oci:" + tmp.resolve("exact") + ":v1 gets Docker media types ("
                + MediaTypes.DOCKER_MANIFEST_LIST + "), whose index.json entries skopeo, buildah and podman skip when"
                + " they look a tag up; --format oci converts them (new digests)"), exact.err().lines().toList());

        InProcessRun back = run("copy", "-o", "json", "--format", "oci", "oci:" + docker + ":v1", "oci:" + tmp.resolve("back") + ":v1");
        assertEquals(0, back.exit(), back.err());
        JsonNode doc = JSON.readTree(back.out());
        assertTrue(doc.get("digestChanged").asBoolean());
        assertEquals(index.digest().toString(), doc.get("digest").asText(), "OCI -> v2s2 -> OCI is the same document");
    }

    @Test
    void formatRefusalsExitTwoAndWriteNothing() {
        InProcessRun bogus = run("copy", "--format", "v2s1", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst"));
        assertEquals(2, bogus.exit());
        assertTrue(bogus.err().startsWith("regctl: invalid --format \"v2s1\": expected oci or v2s2"), bogus.err());

        InProcessRun archive = run("copy", "--format", "oci", "oci:" + src + ":solo", "docker-archive:" + tmp.resolve("a.tar"));
        assertEquals(2, archive.exit());
        assertTrue(archive.err().contains("is a docker archive, which holds Docker schema 2 images only"), archive.err());
        assertFalse(Files.exists(tmp.resolve("a.tar")));

        assertEquals(2, run("copy", "--format", "oci", "--referrers", "oci:" + src + ":v1", "oci:" + tmp.resolve("dst")).exit());
        assertFalse(Files.exists(tmp.resolve("dst")));
    }

    @Test
    void aLocalTargetPathInTheWayIsBadUsageSaidAtOnce() throws Exception {
        Path file = Files.writeString(tmp.resolve("hello.txt"), "hi");
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        String[][] cases = {
            {"oci:" + file, "regctl: oci:" + file + ": a file, not a layout directory",
                "hint: name a new or empty directory, or an OCI layout"},
            {"oci:" + file.resolve("sub") + ":v1", "regctl: oci:" + file.resolve("sub") + ": " + file + " is a file, not a directory"},
            {"oci-archive:" + dir, "regctl: oci-archive:" + dir + ": a directory, not an archive file",
                "hint: name a file in it, e.g. " + dir.resolve("image.tar")},
            {"docker-archive:" + tmp.resolve("missing/app.tar") + ":app:v1", "regctl: docker-archive:" + tmp.resolve("missing/app.tar")
                + ": no directory " + tmp.resolve("missing") + " to write the archive in", "hint: make it first: mkdir -p " + tmp.resolve("missing")},
            {"oci-archive:" + file.resolve("x.tar"), "regctl: oci-archive:" + file.resolve("x.tar") + ": " + file + " is a file, not a directory"},
        };
        for (String[] c : cases) {
            InProcessRun r = run("copy", "--platform", "linux/amd64", "oci:" + src + ":v1", c[0]);
            assertEquals(2, r.exit(), c[0] + ": " + r.err());
            assertEquals(List.of(c).subList(1, c.length), r.err().lines().toList(), c[0]);
        }
        assertEquals("hi", Files.readString(file));
        assertEquals(List.of(), Files.list(dir).toList());
        assertFalse(Files.exists(tmp.resolve("missing")));
    }

    private static List<String> names(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static RawManifest image(OciLayoutStore store, String arch, String layerText) {
        Descriptor config = blob(store, MediaTypes.OCI_CONFIG, "{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}");
        Descriptor layer = blob(store, MediaTypes.OCI_LAYER_GZIP, layerText);
        RawManifest m = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + json(config) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8), null);
        store.putManifest(m, null);
        return m;
    }
}
