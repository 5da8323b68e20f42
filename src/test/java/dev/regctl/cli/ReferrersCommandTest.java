package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.ops.ReferrersTree.Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text tree and JSON document {@code regctl referrers} prints, and its place among the commands. */
class ReferrersCommandTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);
    private static final String D = "sha256:" + "d".repeat(64);
    private static final String E = "sha256:" + "e".repeat(64);
    private static final String COSIGN_TAG = "sha256-" + "a".repeat(64) + ".sig";
    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";

    private static Node tree() {
        Node sbomSig = new Node(D, OCI, "application/vnd.example.sig", 300, null, null, null, List.of());
        Node sbom = new Node(C, OCI, "application/spdx+json", 200,
                Map.of("org.opencontainers.image.created", "2024-05-01T00:00:00Z"), null, null, List.of(sbomSig));
        Node sig = new Node(B, OCI, null, 100, Map.of("evil", "\u001b[2J"), null, null, List.of());
        Node cosign = new Node(E, OCI, null, 400, null, "signature", COSIGN_TAG, List.of());
        return new Node(A, OCI, "application/vnd.oci.image.config.v1+json", 50, null, null, null, List.of(sig, sbom, cosign));
    }

    @Test
    void textIsOneReferrerPerLineIndentedByDepth() {
        StringWriter out = new StringWriter();
        ReferrersCommand.text(new PrintWriter(out), tree());
        assertEquals(List.of(
                B + "  -",
                C + "  application/spdx+json  (2024-05-01T00:00:00Z)",
                "  " + D + "  application/vnd.example.sig",
                E + "  -  cosign signature (" + COSIGN_TAG + ")"), out.toString().lines().toList());
    }

    @Test
    void jsonIsNestedWithStableFieldNames() throws Exception {
        StringWriter out = new StringWriter();
        new Output(OutputFormat.json, new PrintWriter(out)).print(tree(), w -> { });
        JsonNode top = new ObjectMapper().readTree(out.toString());
        List<String> fields = new java.util.ArrayList<>();
        top.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("digest", "mediaType", "artifactType", "size", "annotations", "kind", "tag", "referrers"), fields);
        assertEquals("signature", top.path("referrers").get(2).path("kind").asText());
        assertEquals(COSIGN_TAG, top.path("referrers").get(2).path("tag").asText());
        assertTrue(top.path("referrers").get(0).path("kind").isNull(), "a listed referrer has no cosign kind");
        assertTrue(top.path("referrers").get(0).path("artifactType").isNull(), "absent fields are null, not missing");
        assertEquals(D, top.path("referrers").get(1).path("referrers").get(0).path("digest").asText());
        assertEquals("2024-05-01T00:00:00Z",
                top.path("referrers").get(1).path("annotations").path("org.opencontainers.image.created").asText());
    }

    @Test
    void annotationsAreInTheSameSortedOrderEveryRun() {
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 20; i++) {
            many.put("k" + (char) ('a' + (i * 7) % 20), "v");
        }
        Node node = new Node(A, OCI, null, 1, many, null, null, List.of());
        assertEquals(new java.util.TreeMap<>(many).keySet().stream().toList(), List.copyOf(node.annotations().keySet()));
    }

    @Test
    void itIsListedAfterDigest() {
        List<String> names = List.copyOf(Main.COMMANDS.keySet());
        assertEquals(names.indexOf("digest") + 1, names.indexOf("referrers"), names.toString());
    }
}
