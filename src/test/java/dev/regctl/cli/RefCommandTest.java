package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefCommandTest {

    private static final String D256 = "sha256:" + "0123456789abcdef".repeat(4);

    /** The exit code and both streams of one run. */
    private record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void printsTheFullyQualifiedReference() {
        Run r = run("ref", "redis");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("docker.io/library/redis:latest"), r.out().lines().toList());
        assertEquals("", r.err());
    }

    @Test
    void resolveShowsTheEntryLocationAndMirrorsInOrder(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("registries.conf"), """
                [[registry]]
                prefix = "docker.io/library"
                location = "hub.corp/library"
                [[registry.mirror]]
                location = "mirror-a.corp/hub-library"
                [[registry.mirror]]
                location = "mirror-b.corp:5000/hub-library"
                insecure = true
                """);
        Run r = run("ref", "--resolve", "--registries-conf", conf.toString(), "redis:7");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("reference: docker.io/library/redis:7",
                "entry: " + conf + " [[registry]] prefix \"docker.io/library\"",
                "location: hub.corp/library/redis:7",
                "mirror: mirror-a.corp/hub-library/redis:7",
                "mirror: mirror-b.corp:5000/hub-library/redis:7 (insecure)",
                "blocked: false"), r.out().lines().toList());
        Run none = run("ref", "--resolve", "--no-registries-conf", "--registries-conf", conf.toString(), "redis:7");
        assertTrue(none.out().contains("entry: none"), none.out());
    }

    @Test
    void resolveIsForRegistryImagesOnly() {
        Run r = run("ref", "--resolve", "oci:layout:v1");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.errLines().get(0).startsWith("regctl: oci:layout:v1: --resolve is for registry images"), r.err());
    }

    @Test
    void keepsTagAndDigestTogether() {
        Run r = run("ref", "docker://localhost:5000/team/app:v1@" + D256);
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("localhost:5000/team/app:v1@" + D256), r.out().lines().toList());
    }

    @Test
    void jsonHasEveryFieldWithNullsForWhatIsAbsent() throws Exception {
        Run r = run("ref", "-o", "json", "redis@" + D256);
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = json(r.out());
        assertEquals(List.of("registry", "repository", "tag", "digest", "familiar"), fieldNames(doc));
        assertEquals("docker.io", doc.get("registry").asText());
        assertEquals("library/redis", doc.get("repository").asText());
        assertTrue(doc.get("tag").isNull());
        assertEquals(D256, doc.get("digest").asText());
        assertEquals("redis@" + D256, doc.get("familiar").asText());
    }

    @Test
    void jsonForATaggedReferenceHasNullDigest() throws Exception {
        JsonNode doc = json(run("ref", "--output=json", "[::1]:5000/app:v1").out());
        assertEquals("[::1]:5000", doc.get("registry").asText());
        assertEquals("v1", doc.get("tag").asText());
        assertTrue(doc.get("digest").isNull());
        assertEquals("[::1]:5000/app:v1", doc.get("familiar").asText());
    }

    @Test
    void printsLayoutReferences() throws Exception {
        Run text = run("ref", "ocidir:///tmp/layout:v1");
        assertEquals(0, text.exit(), text.err());
        assertEquals(List.of("oci:/tmp/layout:v1"), text.out().lines().toList());

        JsonNode doc = json(run("ref", "-o", "json", "oci:/tmp/layout").out());
        assertEquals(List.of("layout", "tag", "digest"), fieldNames(doc));
        assertEquals("/tmp/layout", doc.get("layout").asText());
        assertTrue(doc.get("tag").isNull());
    }

    @Test
    void invalidReferenceIsOneStderrLineAndExitTwo() {
        Run r = run("ref", "foo/Bar:x");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.err());
        assertEquals("regctl: invalid reference \"foo/Bar:x\": repository name \"foo/Bar\" must be lowercase",
                r.errLines().get(0));
    }

    @Test
    void invalidReferenceWithANewlineStaysOneLine() {
        Run r = run("ref", "redis\nexit 0");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).startsWith("regctl: invalid reference "), r.err());
    }

    @Test
    void invalidLayoutReferenceIsUsageToo() {
        Run r = run("ref", "oci:");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals("", r.out());
        assertEquals(List.of("regctl: invalid OCI layout reference \"oci:\": missing directory; expected oci:DIR[:TAG] or oci:DIR@DIGEST"),
                r.errLines());
    }

    @Test
    void missingArgumentIsUsage() {
        Run r = run("ref");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("regctl: "), r.err());
    }

    private static List<String> fieldNames(JsonNode doc) {
        List<String> names = new ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
