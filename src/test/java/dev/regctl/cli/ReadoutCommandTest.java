package dev.regctl.cli;

import static dev.regctl.testing.ImageParts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code tags --long}, {@code inspect} and {@code digest} print about artifacts, images that
 * name no platform, unreadable tags and the children of an index, against a loopback registry.
 */
class ReadoutCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final ContentRegistry registry = new ContentRegistry();

    private record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @AfterEach
    void stop() throws IOException {
        registry.close();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--docker-config", tmp.resolve("docker").toString()));
        int exit = Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An image manifest over a config blob with the given JSON and media type; {@code extra} adds fields. */
    private RawManifest image(String tag, String configMediaType, String config, String extra) {
        Descriptor c = registry.blob(configMediaType, utf8(config));
        Descriptor layer = registry.blob(MediaTypes.OCI_LAYER_GZIP, utf8("layer of " + config));
        return registry.manifest(RawManifest.of(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(c) + ",\"layers\":[" + json(layer) + "]" + extra + "}"), null), tag);
    }

    private RawManifest image(String tag, String os, String arch) {
        return image(tag, MediaTypes.OCI_CONFIG, "{\"os\":\"" + os + "\",\"architecture\":\"" + arch
                + "\",\"created\":\"2024-05-01T00:00:00Z\"}", "");
    }

    /** What cosign writes for a signature: an image config with empty os and architecture. */
    private RawManifest cosignSignature(String tag) {
        return image(tag, MediaTypes.OCI_CONFIG, "{\"architecture\":\"\",\"os\":\"\",\"created\":\"0001-01-01T00:00:00Z\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", "");
    }

    /** An image whose config blob the registry does not have. */
    private RawManifest lostConfig(String tag) {
        Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(utf8("{\"lost\":1}")), 10);
        return registry.manifest(RawManifest.of(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(config) + ",\"layers\":[]}"), null), tag);
    }

    private RawManifest index(String tag, String... entries) {
        return registry.manifest(RawManifest.of(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + String.join(",", entries) + "]}"), null), tag);
    }

    private static String entry(RawManifest child, String platform) {
        String d = json(child.descriptor());
        if (platform == null) {
            return d;
        }
        String[] p = platform.split("/");
        return d.substring(0, d.length() - 1) + ",\"platform\":{\"os\":\"" + p[0] + "\",\"architecture\":\"" + p[1] + "\"}}";
    }

    @Test
    void tagsLongPrintsEveryReadableRowAndOneErrorLinePerUnreadableTag() {
        RawManifest v1 = image("v1", "linux", "amd64");
        lostConfig("v2");
        RawManifest v3 = image("v3", "linux", "arm64");

        Run r = run("tags", "--long", registry.repository());

        assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
        List<String> rows = r.out().lines().toList();
        assertEquals(2, rows.size(), r.out());
        assertTrue(rows.get(0).startsWith("v1\t" + v1.digest() + "\tlinux/amd64\t"), rows.get(0));
        assertTrue(rows.get(1).startsWith("v3\t" + v3.digest() + "\tlinux/arm64\t"), rows.get(1));
        List<String> errors = r.err().lines().toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).startsWith("regctl: tags --long: v2: "), errors.get(0));
        assertTrue(errors.get(0).contains("not found") || errors.get(0).contains("unknown"), errors.get(0));
    }

    @Test
    void tagsLongJsonListsEveryTagWithAnErrorFieldOnTheUnreadableOnes() throws IOException {
        RawManifest v1 = image("v1", "linux", "amd64");
        lostConfig("v2");

        Run r = run("tags", "--long", "-o", "json", registry.repository());

        assertEquals(ExitCodes.FAILURE, r.exit(), r.err());
        JsonNode rows = r.json();
        assertEquals(2, rows.size(), r.out());
        assertEquals(v1.digest().toString(), rows.get(0).get("digest").asText());
        assertTrue(rows.get(0).get("error").isNull(), r.out());
        assertEquals("v2", rows.get(1).get("tag").asText());
        assertTrue(rows.get(1).get("digest").isNull(), r.out());
        assertFalse(rows.get(1).get("error").asText().isEmpty(), r.out());
        assertEquals(1, r.err().lines().count(), "the stderr line is there in JSON mode too: " + r.err());
        assertFalse(rows.get(0).has("readable"), r.out());
    }

    @Test
    void tagsLongShowsNoPlatformAsADashNotASlash() {
        cosignSignature("sha256-abc.sig");

        Run r = run("tags", "--long", registry.repository());

        assertEquals(0, r.exit(), r.err());
        assertEquals("-", r.out().strip().split("\t")[2], r.out());
    }

    @Test
    void inspectOfASignatureWithEmptyPlatformListsNoPlatform() throws IOException {
        cosignSignature("sig");

        Run text = run("inspect", registry.repository() + ":sig");
        Run json = run("inspect", "-o", "json", registry.repository() + ":sig");

        assertEquals(0, text.exit(), text.err());
        assertFalse(text.out().contains("Platform"), text.out());
        assertFalse(text.out().contains(" /"), text.out());
        assertFalse(json.json().has("platform"), json.out());
    }

    @Test
    void inspectShowsAnArtifactsTypeSubjectAndSortedAnnotations() throws IOException {
        RawManifest subject = image("v1", "linux", "amd64");
        RawManifest sbom = image(null, "application/vnd.oci.empty.v1+json", "{}",
                ",\"artifactType\":\"application/spdx+json\",\"subject\":" + json(subject.descriptor())
                        + ",\"annotations\":{\"org.opencontainers.image.created\":\"2024-05-02T00:00:00Z\",\"a.b\":\"x=y\"}");

        Run text = run("inspect", registry.repository() + "@" + sbom.digest());
        Run json = run("inspect", "-o", "json", registry.repository() + "@" + sbom.digest());

        assertEquals(0, text.exit(), text.err());
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.contains("ArtifactType: application/spdx+json"), text.out());
        assertTrue(lines.contains("Subject:    " + subject.digest()), text.out());
        List<String> annotations = lines.stream().filter(l -> l.startsWith("annotation ")).toList();
        assertEquals(List.of("annotation a.b=x=y", "annotation org.opencontainers.image.created=2024-05-02T00:00:00Z"),
                annotations);
        assertFalse(text.out().contains("Platform"), text.out());
        JsonNode s = json.json();
        assertEquals("application/spdx+json", s.get("artifactType").asText());
        assertEquals(subject.digest().toString(), s.get("subject").asText());
        assertEquals("x=y", s.get("annotations").get("a.b").asText());
        assertFalse(s.has("platform"), json.out());
    }

    @Test
    void inspectOfAnIndexShowsAChildWithoutPlatformAsNone() throws IOException {
        RawManifest amd = image(null, "linux", "amd64");
        RawManifest sig = cosignSignature(null);
        index("v1", entry(amd, "linux/amd64"), entry(sig, null));

        Run text = run("inspect", registry.repository() + ":v1");
        Run json = run("inspect", "-o", "json", registry.repository() + ":v1");

        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("  -\t" + sig.digest()), text.out());
        assertFalse(text.out().contains("unknown"), text.out());
        assertEquals("linux/amd64", json.json().get("platforms").get(0).get("platform").asText());
        assertFalse(json.json().get("platforms").get(1).has("platform"), json.out());
    }

    @Test
    void digestAndInspectTakePlatformToPickAChildOfAnIndex() throws IOException {
        RawManifest amd = image(null, "linux", "amd64");
        RawManifest arm = image(null, "linux", "arm64");
        RawManifest index = index("v1", entry(amd, "linux/amd64"), entry(arm, "linux/arm64"));
        String ref = registry.repository() + ":v1";

        assertEquals(index.digest().toString(), run("digest", ref).out().strip());
        Run digest = run("digest", "--platform", "linux/arm64", ref);
        assertEquals(0, digest.exit(), digest.err());
        assertEquals(arm.digest().toString(), digest.out().strip());
        assertEquals(arm.digest().toString(), run("digest", "-o", "json", "--platform", "linux/arm64", ref).json()
                .get("digest").asText());

        Run inspect = run("inspect", "-o", "json", "--platform", "linux/amd64", ref);
        assertEquals(0, inspect.exit(), inspect.err());
        assertEquals(amd.digest().toString(), inspect.json().get("digest").asText());
        assertEquals("linux/amd64", inspect.json().get("platform").asText());
    }

    @Test
    void aPlatformTheIndexLacksIsNotFoundNamingThoseItHas() {
        RawManifest amd = image(null, "linux", "amd64");
        index("v1", entry(amd, "linux/amd64"));

        Run r = run("digest", "--platform", "linux/s390x", registry.repository() + ":v1");

        assertEquals(ExitCodes.NOT_FOUND, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("regctl: ") && r.err().contains("linux/amd64"), r.err());
    }

    @Test
    void aMalformedPlatformIsAUsageError() {
        Run r = run("inspect", "--platform", "linux", registry.repository() + ":v1");

        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("OS/ARCH"), r.err());
    }

    /** mcr.microsoft.com style: a windows/amd64 child per Windows Server build, each config naming its os.version. */
    @Test
    void windowsBuildsArePrintedWithTheirOsVersionAndPickedByIt() throws IOException {
        RawManifest ltsc2019 = image(null, MediaTypes.OCI_CONFIG, "{\"os\":\"windows\",\"architecture\":\"amd64\","
                + "\"os.version\":\"10.0.17763.5576\"}", "");
        RawManifest ltsc2022 = image(null, MediaTypes.OCI_CONFIG, "{\"os\":\"windows\",\"architecture\":\"amd64\","
                + "\"os.version\":\"10.0.20348.2340\"}", "");
        index("v1", windows(ltsc2019, "10.0.17763.5576"), windows(ltsc2022, "10.0.20348.2340"));
        String ref = registry.repository() + ":v1";

        Run text = run("inspect", ref);
        assertTrue(text.out().contains("  windows(10.0.17763.5576)/amd64\t" + ltsc2019.digest()), text.out());
        assertTrue(text.out().contains("  windows(10.0.20348.2340)/amd64\t" + ltsc2022.digest()), text.out());
        JsonNode child = run("inspect", "-o", "json", ref).json().path("platforms").path(1);
        assertEquals("windows/amd64", child.path("platform").asText());
        assertEquals("10.0.20348.2340", child.path("osVersion").asText(), child.toString());
        assertTrue(run("tags", "--long", registry.repository()).out()
                .contains("windows(10.0.17763.5576)/amd64,windows(10.0.20348.2340)/amd64"));

        Run picked = run("inspect", "-o", "json", "--platform", "windows(10.0.20348)/amd64", ref);
        assertEquals(0, picked.exit(), picked.err());
        assertEquals(ltsc2022.digest().toString(), picked.json().path("digest").asText());
        assertEquals("windows/amd64", picked.json().path("platform").asText());
        assertEquals("10.0.20348.2340", picked.json().path("osVersion").asText());
        assertTrue(run("inspect", "--platform", "windows(10.0.20348)/amd64", ref).out()
                .contains("Platform:   windows(10.0.20348.2340)/amd64"));

        Run ambiguous = run("digest", "--platform", "windows/amd64", ref);
        assertEquals(ExitCodes.USAGE, ambiguous.exit());
        assertTrue(ambiguous.err().contains("has 2 images for windows/amd64: windows(10.0.17763.5576)/amd64 "
                + ltsc2019.digest() + ", windows(10.0.20348.2340)/amd64 " + ltsc2022.digest()), ambiguous.err());
        assertTrue(ambiguous.err().contains("--platform 'windows(10.0.17763)/amd64'"), ambiguous.err());
    }

    private static String windows(RawManifest child, String osVersion) {
        String d = json(child.descriptor());
        return d.substring(0, d.length() - 1) + ",\"platform\":{\"os\":\"windows\",\"architecture\":\"amd64\","
                + "\"os.version\":\"" + osVersion + "\"}}";
    }
}
