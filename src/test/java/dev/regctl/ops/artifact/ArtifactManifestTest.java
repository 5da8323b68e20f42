package dev.regctl.ops.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest an artifact push writes, field by field as ORAS writes it, and how FILE[:MEDIATYPE] is read. */
class ArtifactManifestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Digest LAYER = Digest.sha256("hello\n".getBytes());

    @Test
    void theEmptyConfigIsTheOciEmptyDescriptor() {
        assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                ArtifactManifest.EMPTY_CONFIG.digest().toString());
        assertEquals(2, ArtifactManifest.EMPTY_CONFIG.size());
        assertEquals("application/vnd.oci.empty.v1+json", ArtifactManifest.EMPTY_CONFIG.mediaType());
    }

    @Test
    void anArtifactIsAnImageManifestWithArtifactTypeEmptyConfigAndTitledLayers() throws IOException {
        Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER_TAR, LAYER, 6, null, null,
                Map.of(ArtifactManifest.TITLE, "a.txt", "z.note", "last", "a.note", "first"), null);
        Descriptor subject = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256("{}".getBytes()), 2);

        RawManifest m = ArtifactManifest.build("application/spdx+json", Map.of(), List.of(layer), subject,
                Map.of(ArtifactManifest.CREATED, "2026-12-04T08:00:00Z", "b", "2"));

        JsonNode root = JSON.readTree(m.bytes());
        assertEquals(List.of("schemaVersion", "mediaType", "artifactType", "config", "layers", "subject", "annotations"), names(root));
        assertEquals(2, root.get("schemaVersion").asInt());
        assertEquals(MediaTypes.OCI_MANIFEST, root.get("mediaType").asText());
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
        assertEquals("application/spdx+json", root.get("artifactType").asText());
        JsonNode config = root.get("config");
        assertEquals(List.of("mediaType", "digest", "size", "data"), names(config));
        assertEquals("application/vnd.oci.empty.v1+json", config.get("mediaType").asText());
        assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", config.get("digest").asText());
        assertEquals(2, config.get("size").asLong());
        assertEquals("e30=", config.get("data").asText(), "the content {} inline, base64");
        JsonNode l = root.get("layers").get(0);
        assertEquals(MediaTypes.OCI_LAYER_TAR, l.get("mediaType").asText());
        assertEquals(LAYER.toString(), l.get("digest").asText());
        assertEquals(6, l.get("size").asLong());
        assertEquals(List.of("a.note", ArtifactManifest.TITLE, "z.note"), names(l.get("annotations")), "sorted, as Go writes maps");
        assertEquals(List.of("mediaType", "digest", "size"), names(root.get("subject")));
        assertEquals(subject.digest().toString(), root.get("subject").get("digest").asText());
        assertEquals(List.of("b", ArtifactManifest.CREATED), names(root.get("annotations")));
        assertEquals("application/spdx+json", m.manifest().artifactType());
    }

    @Test
    void withoutSubjectOrAnnotationsThoseFieldsAreAbsent() throws IOException {
        JsonNode root = JSON.readTree(ArtifactManifest.build(ArtifactManifest.DEFAULT_ARTIFACT_TYPE, Map.of(), List.of(), null, Map.of()).bytes());
        assertEquals(List.of("schemaVersion", "mediaType", "artifactType", "config", "layers"), names(root));
        assertEquals("application/vnd.unknown.artifact.v1", root.get("artifactType").asText());
    }

    @Test
    void aMediaTypeIsSplitOffAtTheLastColonOnlyWhenItIsOne() {
        assertEquals(new ArtifactFile(Path.of("sbom.json"), "application/spdx+json"), ArtifactFile.parse("sbom.json:application/spdx+json"));
        assertEquals(new ArtifactFile(Path.of("a:b.txt"), null), ArtifactFile.parse("a:b.txt"));
        assertEquals(new ArtifactFile(Path.of("a:b.txt"), "text/plain"), ArtifactFile.parse("a:b.txt:text/plain"));
        assertNull(ArtifactFile.parse("report.html").mediaType());
        assertEquals("report.html", ArtifactFile.parse("dir/report.html").title());
        RegctlException empty = assertThrows(RegctlException.class, () -> ArtifactFile.parse("a.txt:"));
        assertEquals(RegctlException.Kind.USAGE, empty.kind());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
