package dev.regctl.cli;

import static dev.regctl.testing.ImageParts.blob;
import static dev.regctl.testing.ImageParts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.image.ReferrersIndex;
import dev.regctl.oci.Descriptor;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** delete and prune through the CLI on OCI layouts: output shapes, usage errors and exit codes. */
class DeleteCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private OciLayoutStore store;
    private String shared;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void layout() {
        store = OciLayoutStore.create(dir);
        shared = image("v1", "2024-01-01T00:00:00Z").digest().toString();
        store.putManifest(store.fetchManifest(shared), "stable");
        image("v2", "2024-02-01T00:00:00Z");
        image("v3", "2024-03-01T00:00:00Z");
    }

    private RawManifest image(String tag, String created) {
        Descriptor d = blob(store, MediaTypes.OCI_CONFIG, "{\"created\":\"" + created + "\",\"architecture\":\"amd64\","
                + "\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        RawManifest m = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(d) + ",\"layers\":[]}").getBytes(StandardCharsets.UTF_8), null);
        store.putManifest(m, tag);
        return m;
    }

    @Test
    void deleteByATagWhoseManifestHasOtherTagsIsRefusedWithExitTwoSayingHowToProceed() {
        Run r = run("delete", "oci:" + dir + ":stable");
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals(List.of("regctl: delete oci:" + dir + ":stable: its manifest " + shared + " is also tagged v1,"
                        + " which would be deleted with it; nothing was deleted",
                "hint: --tag-only removes only stable; --force deletes the manifest with all 2 tags"), r.err().lines().toList());
        assertEquals(List.of("v1", "stable", "v2", "v3"), store.listTags());

        Run dry = run("delete", "--dry-run", "oci:" + dir + ":stable");
        assertEquals(ExitCodes.USAGE, dry.exit(), "a dry run says what the real run would do: refuse");
    }

    @Test
    void deleteByTheOnlyTagOfAManifestDeletesIt() {
        String v2 = store.headManifest("v2").orElseThrow().digest().toString();
        Run r = run("delete", "oci:" + dir + ":v2");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("oci:" + dir + ":v2", "oci:" + dir + "@" + v2), r.out().lines().toList());
        assertEquals(List.of("v1", "stable", "v3"), store.listTags());
    }

    @Test
    void forceDeletesTheManifestPrintingEveryTagThenTheManifest() {
        Run r = run("delete", "--force", "oci:" + dir + ":stable");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("oci:" + dir + ":stable", "oci:" + dir + ":v1", "oci:" + dir + "@" + shared),
                r.out().lines().toList());
        assertEquals("", r.err());
        assertEquals(List.of("v2", "v3"), store.listTags());
    }

    @Test
    void dryRunAsJsonShowsThePlanAndChangesNothing() throws Exception {
        Run r = run("delete", "--dry-run", "--force", "-o", "json", "oci:" + dir + ":v1");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("oci:" + dir, j.path("repository").asText());
        assertEquals(shared, j.path("digest").asText());
        assertEquals(List.of("stable", "v1"), List.of(j.path("tags").get(0).asText(), j.path("tags").get(1).asText()));
        assertTrue(j.path("manifest").asBoolean());
        assertTrue(j.path("dryRun").asBoolean());
        assertEquals(List.of("v1", "stable", "v2", "v3"), store.listTags());
    }

    @Test
    void tagOnlyPrintsTheOneTag() {
        Run r = run("delete", "--tag-only", "oci:" + dir + ":stable");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("oci:" + dir + ":stable"), r.out().lines().toList());
        assertEquals(List.of("v1", "v2", "v3"), store.listTags());
    }

    @Test
    void aMissingTagExitsThree() {
        Run r = run("delete", "oci:" + dir + ":nope");
        assertEquals(ExitCodes.NOT_FOUND, r.exit());
        assertEquals("", r.out());
        assertEquals(List.of("regctl: delete oci:" + dir + ":nope: no such tag"), r.err().lines().toList());
    }

    @Test
    void usageErrorsExitTwoAndDeleteNothing() {
        for (String[] args : List.of(
                new String[] {"delete", "localhost:5000/app"},
                new String[] {"delete", "--tag-only", "localhost:5000/app@sha256:" + "a".repeat(64)},
                new String[] {"delete", "oci:" + dir},
                new String[] {"delete", "--tag-only", "--force", "oci:" + dir + ":stable"},
                new String[] {"prune", "oci:" + dir, "--keep", "1", "--older-than", "30days"},
                new String[] {"prune", "oci:" + dir, "--keep", "-1"},
                new String[] {"prune", "oci:" + dir},
                new String[] {"prune", "localhost:5000/app:v1", "--keep", "1"},
                new String[] {"prune", "oci:" + dir, "--keep", "1", "--filter", "("})) {
            Run r = run(args);
            assertEquals(ExitCodes.USAGE, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals("", r.out(), String.join(" ", args));
            assertTrue(r.err().startsWith("regctl: "), r.err());
        }
        assertEquals(List.of("v1", "stable", "v2", "v3"), store.listTags());
    }

    @Test
    void pruneListsWhatItDeletesNewestFirst() {
        String v2 = store.headManifest("v2").orElseThrow().digest().toString();
        Run r = run("prune", "oci:" + dir, "--keep", "1");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("v2\t" + v2 + "\t2024-02-01T00:00:00Z", "stable\t" + shared + "\t2024-01-01T00:00:00Z",
                "v1\t" + shared + "\t2024-01-01T00:00:00Z"), r.out().lines().toList());
        assertEquals("", r.err());
        assertEquals(List.of("v3"), store.listTags());
    }

    @Test
    void pruneSkipsADigestATagOutsideTheFilterUsesWithANote() {
        Run r = run("prune", "oci:" + dir, "--keep", "1", "--filter", "v\\d");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("v2"), r.out().lines().map(l -> l.split("\t")[0]).toList());
        assertEquals(List.of("note: not deleting v1: its manifest is also tagged stable, which stays"), r.err().lines().toList());
        assertEquals(List.of("v1", "stable", "v3"), store.listTags());

        Run quiet = run("prune", "oci:" + dir, "--keep", "1", "--filter", "v\\d", "-q");
        assertEquals("", quiet.err());
    }

    @Test
    void pruneJsonHasEveryConsideredTagWithItsAction() throws Exception {
        Run r = run("prune", "oci:" + dir, "--keep", "1", "--older-than", "1w", "--dry-run", "-o", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(4, j.size(), r.out());
        assertEquals("v3", j.get(0).path("tag").asText());
        assertEquals("keep", j.get(0).path("action").asText());
        assertEquals("among the newest 1", j.get(0).path("reason").asText());
        assertEquals("2024-03-01T00:00:00Z", j.get(0).path("created").asText());
        assertEquals("v2", j.get(1).path("tag").asText());
        assertEquals("delete", j.get(1).path("action").asText());
        assertTrue(j.get(1).path("reason").asText().matches("beyond the newest 1 and older than 1w"
                + " \\(created before \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)"), j.get(1).path("reason").asText());
        assertEquals(shared, j.get(3).path("digest").asText());
        assertEquals(List.of("v1", "stable", "v2", "v3"), store.listTags(), "dry run");
    }

    @Test
    void pruneTakesTheReferrerTagsOfADeletedImageAlongAndLeavesThoseOfAKeptOne() {
        RawManifest v2 = store.fetchManifest("v2");
        RawManifest v3 = store.fetchManifest("v3");
        RawManifest sbom = Images.referrer(store, v2.descriptor(), "application/spdx+json", "v2 packages", null,
                Map.of("org.opencontainers.image.created", "2000-01-01T00:00:00Z"));
        RawManifest kept = Images.referrer(store, v3.descriptor(), "application/spdx+json", "v3 packages", null,
                Map.of("org.opencontainers.image.created", "2000-01-01T00:00:00Z"));
        RawManifest v2Index = Images.tagSchemaIndex(store, v2.digest(), ReferrersIndex.entry(sbom));
        Images.tagSchemaIndex(store, v3.digest(), ReferrersIndex.entry(kept));
        String v2Tag = ReferrerTags.fallback(v2.digest());

        Run r = run("prune", "oci:" + dir, "--keep", "1", "--filter", "v\\d");

        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(v2Tag + "\t" + v2Index.digest() + "\t-", "v2\t" + v2.digest() + "\t2024-02-01T00:00:00Z"),
                r.out().lines().toList(), "the referrers tag just before its image; v1 is kept by stable");
        assertEquals(List.of("v1", "stable", "v3", ReferrerTags.fallback(v3.digest())), store.listTags());
        assertEquals(sbom.digest(), store.fetchManifest(sbom.digest().toString()).digest(),
                "the referrer itself is left, untagged, for the garbage collector");
    }

    /** A user reading --help and one reading the docs learn the same boundary: created at the cutoff stays. */
    @Test
    void pruneHelpSaysTheCutoffIsExclusiveInTheDocsWords() throws IOException {
        String help = run("prune", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--older-than=DURATION Delete only tags created strictly before the cutoff"), help);
        assertTrue(help.contains("(a tag created at the cutoff stays)"), help);
        for (String doc : List.of("docs/commands.md", "docs/delete-and-prune.md")) {
            String text = Files.readString(Path.of(doc)).replaceAll("\\s+", " ");
            assertTrue(text.contains("created strictly before"), doc + " says the boundary as --help does");
        }
    }

    @Test
    void pruneShowsItsCutoffAsADateAndWantsForceUnderAnHour() {
        Run r = run("prune", "oci:" + dir, "--keep", "0", "--older-than", "30d", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        List<String> err = r.err().lines().toList();
        assertTrue(err.get(0).matches("prune: due for deletion: tags beyond the newest 0 and older than 30d"
                + " \\(created before \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)"), err.get(0));

        Run minute = run("prune", "oci:" + dir, "--keep", "0", "--older-than", "1m");
        assertEquals(ExitCodes.USAGE, minute.exit());
        assertEquals("", minute.out());
        assertEquals(List.of("regctl: --older-than 1m is under one hour, so images only that old would be deleted"
                + " (m is minutes; a month is 30d)", "hint: add --force to prune with a cutoff under one hour"),
                minute.err().lines().toList());
        assertEquals(List.of("v1", "stable", "v2", "v3"), store.listTags());

        Run forced = run("prune", "oci:" + dir, "--keep", "2", "--older-than", "1m", "--force");
        assertEquals(0, forced.exit(), forced.err());
        assertEquals(List.of("v2", "v3"), store.listTags());
    }
}
