package dev.regctl.cli;

import static dev.regctl.testing.ImageParts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.ReferenceBatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code digest}, {@code inspect} and {@code tags} given several references: answers in argument
 * order whatever order they complete in, one stderr line per failed reference, the JSON array's
 * shape, the exit code rule, and one reference printing exactly what it always did.
 */
class ManyReferencesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final ContentRegistry registry = new ContentRegistry();

    @AfterEach
    void stop() throws IOException {
        registry.close();
    }

    private InProcessRun run(String... args) {
        return InProcessRun.of(tmp.resolve("docker"), args);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A distinct image per tag, so a line printed against the wrong reference shows. */
    private RawManifest image(String tag) {
        Descriptor config = registry.blob(MediaTypes.OCI_CONFIG,
                utf8("{\"os\":\"linux\",\"architecture\":\"amd64\",\"created\":\"2024-05-01T00:00:00Z\",\"tag\":\"" + tag + "\"}"));
        return registry.manifest(RawManifest.of(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(config) + ",\"layers\":[]}"), null), tag);
    }

    private String ref(String tag) {
        return registry.repository() + ":" + tag;
    }

    @Test
    void digestsArePrintedInArgumentOrderAndAMissingImageGetsItsOwnStderrLine() {
        List<RawManifest> images = IntStream.range(0, 20).mapToObj(i -> image("t" + i)).toList();
        List<String> args = new ArrayList<>(List.of("digest"));
        List<String> expected = new ArrayList<>();
        for (int i = 19; i >= 0; i--) { // not the order the registry lists them in
            args.add(ref("t" + i));
            expected.add(ref("t" + i) + "\t" + images.get(i).digest());
            if (i == 10) {
                args.add(ref("gone"));
            }
        }

        InProcessRun r = run(args.toArray(String[]::new));

        assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.err());
        assertEquals(expected, r.out().lines().toList());
        List<String> errors = r.err().lines().toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).startsWith("regctl: " + ref("gone") + ": "), errors.get(0));
        assertTrue(errors.get(0).contains("MANIFEST_UNKNOWN"), "the registry's own error is shown: " + errors.get(0));
    }

    @Test
    void oneReferencePrintsWhatItAlwaysDid() throws IOException {
        RawManifest v1 = image("v1");

        assertEquals(v1.digest() + "\n", run("digest", ref("v1")).out());
        JsonNode json = JSON.readTree(run("digest", "-o", "json", ref("v1")).out());
        assertTrue(json.isObject(), json.toString());
        assertEquals(v1.digest().toString(), json.get("digest").asText());
        assertEquals("v1\n", run("tags", registry.repository()).out());
        assertTrue(run("inspect", ref("v1")).out().startsWith("Name:       " + ref("v1") + "\n"));
    }

    @Test
    void jsonIsAnArrayOfEntriesWithTheReferenceAsGivenAndAnErrorObjectForAFailure() throws IOException {
        RawManifest v1 = image("v1");

        InProcessRun r = run("digest", "-o", "json", ref("v1"), ref("gone"));

        assertEquals(ExitCodes.NOT_FOUND, r.exit(), r.err());
        JsonNode all = JSON.readTree(r.out());
        assertEquals(2, all.size(), r.out());
        assertEquals(List.of("reference", "digest"), keys(all.get(0)));
        assertEquals(ref("v1"), all.get(0).get("reference").asText());
        assertEquals(v1.digest().toString(), all.get(0).get("digest").asText());
        assertEquals(List.of("reference", "error"), keys(all.get(1)));
        assertEquals(List.of("message", "exitCode"), keys(all.get(1).get("error")));
        assertEquals(ExitCodes.NOT_FOUND, all.get(1).get("error").get("exitCode").asInt());
        assertTrue(all.get(1).get("error").get("message").asText().contains("MANIFEST_UNKNOWN"), r.out());
        assertEquals(1, r.err().lines().count(), "the stderr line is there in JSON mode too: " + r.err());
    }

    @Test
    void inspectOfSeveralPrintsOneSummaryLineEachAndTheFullSummariesInJson() throws IOException {
        RawManifest v1 = image("v1");
        RawManifest v2 = image("v2");

        InProcessRun text = run("inspect", ref("v2"), ref("v1"));
        InProcessRun json = run("inspect", "-o", "json", ref("v2"), ref("v1"));

        assertEquals(0, text.exit(), text.err());
        assertEquals(List.of(
                String.join("\t", ref("v2"), v2.digest().toString(), MediaTypes.OCI_MANIFEST, String.valueOf(v2.size()), "linux/amd64"),
                String.join("\t", ref("v1"), v1.digest().toString(), MediaTypes.OCI_MANIFEST, String.valueOf(v1.size()), "linux/amd64")),
                text.out().lines().toList());
        JsonNode all = JSON.readTree(json.out());
        assertEquals(List.of("reference", "name", "digest", "mediaType", "size"), keys(all.get(0)).subList(0, 5));
        assertEquals(v1.digest().toString(), all.get(1).get("digest").asText());
        assertTrue(all.get(1).has("layers"), json.out());
    }

    @Test
    void tagsOfSeveralRepositoriesPrintsOneRepoTabTagLinePerTag() throws IOException {
        image("a");
        image("b");
        String other = registry.repository().replace("/app", "/other");

        InProcessRun text = run("tags", registry.repository(), other, registry.repository());
        InProcessRun json = run("tags", "-o", "json", registry.repository(), other);

        assertEquals(ExitCodes.NOT_FOUND, text.exit(), text.err());
        String repo = registry.repository();
        assertEquals(List.of(repo + "\ta", repo + "\tb", repo + "\ta", repo + "\tb"), text.out().lines().toList());
        assertTrue(text.err().startsWith("regctl: " + other + ": "), text.err());
        JsonNode all = JSON.readTree(json.out());
        assertEquals(List.of("reference", "tags"), keys(all.get(0)));
        assertEquals("b", all.get(0).get("tags").get(1).asText());
        assertEquals(List.of("reference", "error"), keys(all.get(1)));
    }

    @Test
    void aReferenceThatDoesNotParseFailsTheWholeCommandBeforeAnyRequest() {
        image("v1");

        InProcessRun r = run("digest", ref("v1"), "Bad Ref", ref("v1"));

        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertEquals("", r.out(), "no reference was looked up");
        List<String> errors = r.err().lines().toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains("\"Bad Ref\""), errors.get(0));
    }

    @Test
    void documentsAndLongListingsRefuseSeveralReferences() {
        image("v1");

        InProcessRun raw = run("inspect", "--raw", ref("v1"), ref("v1"));
        InProcessRun config = run("inspect", "--config", ref("v1"), ref("v1"));
        InProcessRun tagsLong = run("tags", "--long", registry.repository(), registry.repository());

        for (InProcessRun r : List.of(raw, config, tagsLong)) {
            assertEquals(ExitCodes.USAGE, r.exit(), r.err());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("regctl: --"), r.err());
        }
    }

    @Test
    void theExitCodeIsTheFailuresWhenTheyAgreeElseTheHighest() {
        assertEquals(ExitCodes.OK, ManyReferences.worst(List.of()));
        assertEquals(ExitCodes.NOT_FOUND, ManyReferences.worst(List.of(3, 3, 3)));
        assertEquals(ExitCodes.NOT_FOUND, ManyReferences.worst(List.of(ExitCodes.FAILURE, ExitCodes.NOT_FOUND)));
        assertEquals(ExitCodes.AUTH, ManyReferences.worst(List.of(ExitCodes.NOT_FOUND, ExitCodes.AUTH, ExitCodes.FAILURE)));
    }

    @Test
    void referencesAndReasonsAreEscapedForTheTerminal() {
        ImageRef any = ImageRef.parse("localhost:5000/app:v1");
        List<ReferenceBatch.Outcome<ManyReferences.Printable>> outcomes = List.of(
                new ReferenceBatch.Outcome<>(any, new ManyReferences.Printable(List.of(List.of("sha256:" + "a".repeat(64))), null),
                        null),
                new ReferenceBatch.Outcome<>(any, null,
                        new RegctlException(RegctlException.Kind.NOT_FOUND, "registry said \u001b]0;owned\u0007")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = ManyReferences.print(List.of("oci:/tmp/\u202eevil:v1", "oci:/tmp/\u001b[2Jx:v1"), outcomes,
                new Output(OutputFormat.text, new PrintWriter(out)), new PrintWriter(err));

        assertEquals(ExitCodes.NOT_FOUND, exit);
        assertEquals("oci:/tmp/\\u202eevil:v1\tsha256:" + "a".repeat(64) + "\n", out.toString());
        assertEquals("regctl: oci:/tmp/\\x1b[2Jx:v1: registry said \\x1b]0;owned\\x07\n", err.toString());
        assertFalse(err.toString().contains("\u001b"), err.toString());
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
