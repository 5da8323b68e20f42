package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code copy --format}: one manifest at a time, both ways, and what Docker schema 2 cannot hold. */
class ManifestConversionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = "sha256:" + "c".repeat(64);
    private static final String L1 = "sha256:" + "1".repeat(64);
    private static final String L2 = "sha256:" + "2".repeat(64);
    private static final String L3 = "sha256:" + "3".repeat(64);
    private static final String OCI_NONDISTRIBUTABLE = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    private static final String DOCKER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /** What docker pushes (three-space indent and all): a gzip layer, an uncompressed one, a foreign Windows one. */
    private static final String DOCKER_IMAGE = """
            {
               "schemaVersion": 2,
               "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "config": {
                  "mediaType": "application/vnd.docker.container.image.v1+json",
                  "size": 1469,
                  "digest": "%s"
               },
               "layers": [
                  {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 100, "digest": "%s"},
                  {"mediaType": "application/vnd.docker.image.rootfs.diff.tar", "size": 200, "digest": "%s"},
                  {"mediaType": "%s", "size": 300, "digest": "%s",
                   "urls": ["https://mcr.microsoft.com/v2/windows/blobs/%s"]}
               ]
            }""".formatted(CONFIG, L1, L2, DOCKER_FOREIGN, L3, L3);

    private static RawManifest manifest(String json) {
        return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), null);
    }

    private static JsonNode tree(RawManifest m) throws IOException {
        return JSON.readTree(m.bytes());
    }

    private static String oci(String extraFields, String layerType) {
        return """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",%s
                 "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1469, "digest": "%s"},
                 "layers": [{"mediaType": "%s", "size": 100, "digest": "%s"}]}""".formatted(extraFields, CONFIG, layerType, L1);
    }

    @Test
    void aDockerImageBecomesAnOciImageOfTheSameConfigAndLayers() throws IOException {
        RawManifest docker = manifest(DOCKER_IMAGE);

        RawManifest converted = ManifestConversion.image(docker, ManifestFormat.OCI, "r.example/app:1");

        assertEquals(MediaTypes.OCI_MANIFEST, converted.mediaType());
        assertEquals(Digest.sha256(converted.bytes()), converted.digest());
        assertNotEquals(docker.digest(), converted.digest());
        JsonNode m = tree(converted);
        assertEquals(MediaTypes.OCI_MANIFEST, m.path("mediaType").asText());
        assertEquals(MediaTypes.OCI_CONFIG, m.path("config").path("mediaType").asText());
        assertEquals(CONFIG, m.path("config").path("digest").asText(), "the config's bytes, so its digest, stay");
        assertEquals(1469, m.path("config").path("size").asLong());
        assertEquals(MediaTypes.OCI_LAYER_GZIP, m.path("layers").get(0).path("mediaType").asText());
        assertEquals("application/vnd.oci.image.layer.v1.tar", m.path("layers").get(1).path("mediaType").asText());
        assertEquals(OCI_NONDISTRIBUTABLE, m.path("layers").get(2).path("mediaType").asText());
        assertEquals("https://mcr.microsoft.com/v2/windows/blobs/" + L3, m.path("layers").get(2).path("urls").get(0).asText());
        assertEquals(L2, m.path("layers").get(1).path("digest").asText());
        assertEquals(300, m.path("layers").get(2).path("size").asLong());
    }

    @Test
    void convertingThereAndBackGivesTheSameDocument() throws IOException {
        RawManifest docker = manifest(DOCKER_IMAGE);

        RawManifest oci = ManifestConversion.image(docker, ManifestFormat.OCI, "x");
        RawManifest back = ManifestConversion.image(oci, ManifestFormat.V2S2, "x");

        assertEquals(MediaTypes.DOCKER_MANIFEST, back.mediaType());
        assertEquals(JSON.readTree(docker.bytes()), tree(back));
    }

    @Test
    void anImageAlreadyOfTheFormatKeepsItsBytes() {
        RawManifest docker = manifest(DOCKER_IMAGE);
        RawManifest oci = manifest(oci("", MediaTypes.OCI_LAYER_GZIP));

        assertSame(docker, ManifestConversion.image(docker, ManifestFormat.V2S2, "x"));
        assertSame(oci, ManifestConversion.image(oci, ManifestFormat.OCI, "x"));
    }

    @Test
    void anOciImageKeepsItsAnnotationsAndTypesDockerHasNoNameForWhenMadeOci() throws IOException {
        // Docker-typed config inside an OCI manifest (some builders write it), plus what OCI alone has.
        String json = """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1469, "digest": "%s"},
                 "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "size": 100, "digest": "%s",
                             "annotations": {"io.github.containers.zstd-chunked.manifest-position": "1:2:3:4"}}],
                 "annotations": {"org.opencontainers.image.base.name": "docker.io/library/alpine:3"}}"""
                .formatted(CONFIG, L1);

        JsonNode m = tree(ManifestConversion.image(manifest(json), ManifestFormat.OCI, "x"));

        assertEquals(MediaTypes.OCI_CONFIG, m.path("config").path("mediaType").asText());
        assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", m.path("layers").get(0).path("mediaType").asText());
        assertEquals("1:2:3:4", m.path("layers").get(0).path("annotations")
                .path("io.github.containers.zstd-chunked.manifest-position").asText());
        assertEquals("docker.io/library/alpine:3", m.path("annotations").path("org.opencontainers.image.base.name").asText());
    }

    @Test
    void anOciImageWithoutAMediaTypeFieldGetsDockersFirstInLine() throws IOException {
        String json = """
                {"schemaVersion": 2,
                 "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1469, "digest": "%s"},
                 "layers": [{"mediaType": "%s", "size": 300, "digest": "%s", "urls": ["https://example.com/l"]}]}"""
                .formatted(CONFIG, OCI_NONDISTRIBUTABLE, L3);

        RawManifest docker = ManifestConversion.image(manifest(json), ManifestFormat.V2S2, "x");

        JsonNode m = tree(docker);
        Iterator<String> fields = m.fieldNames();
        assertEquals("schemaVersion", fields.next());
        assertEquals("mediaType", fields.next(), "docker reads the type from the document: it leads");
        assertEquals(MediaTypes.DOCKER_MANIFEST, m.path("mediaType").asText());
        assertEquals(MediaTypes.DOCKER_CONFIG, m.path("config").path("mediaType").asText());
        assertEquals(DOCKER_FOREIGN, m.path("layers").get(0).path("mediaType").asText());
        assertEquals("https://example.com/l", m.path("layers").get(0).path("urls").get(0).asText());
    }

    @Test
    void dockerSchema2RefusesZstdNamingTheLayer() {
        RawManifest zstd = manifest(oci("", "application/vnd.oci.image.layer.v1.tar+zstd"));

        RegctlException e = assertThrows(RegctlException.class,
                () -> ManifestConversion.image(zstd, ManifestFormat.V2S2, "r.example/app:1"));

        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("--format v2s2: r.example/app:1 cannot be written as Docker schema 2: layer 1 (" + L1
                + ") is application/vnd.oci.image.layer.v1.tar+zstd, zstd, which Docker schema 2 has no type for;"
                + " nothing was copied", e.getMessage());
        assertTrue(e.hint().contains("without --format"), e.hint());
    }

    @Test
    void dockerSchema2RefusesWhatItHasNoFieldForNamingEachThing() {
        String json = oci("""
                 "artifactType": "application/vnd.example.sbom",
                 "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 9, "digest": "%s"},
                 "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"},"""
                .formatted(L3), "application/vnd.oci.image.layer.v1.tar+gzip+encrypted");

        String message = assertThrows(RegctlException.class,
                () -> ManifestConversion.image(manifest(json), ManifestFormat.V2S2, "x")).getMessage();

        assertTrue(message.contains("it has artifactType application/vnd.example.sbom"), message);
        assertTrue(message.contains("it has a subject (" + L3 + ")"), message);
        assertTrue(message.contains("it has annotations (org.opencontainers.image.created)"), message);
        assertTrue(message.contains("is application/vnd.oci.image.layer.v1.tar+gzip+encrypted, encrypted"), message);
    }

    @Test
    void dockerSchema2RefusesAnArtifactConfig() {
        String json = """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json", "size": 10, "digest": "%s"},
                 "layers": [{"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip", "size": 1, "digest": "%s"}]}"""
                .formatted(CONFIG, L1);

        String message = assertThrows(RegctlException.class,
                () -> ManifestConversion.image(manifest(json), ManifestFormat.V2S2, "x")).getMessage();

        assertTrue(message.contains("its config is application/vnd.cncf.helm.config.v1+json, not an image config"), message);
        assertTrue(message.contains("layer 1 (" + L1 + ") is application/vnd.cncf.helm.chart.content.v1.tar+gzip"), message);
    }

    /** ORAS 1.0's artifact manifests are OCI already, and no image Docker schema 2 could hold. */
    @Test
    void anOci11RcArtifactManifestStaysAsItIsForOciAndIsRefusedForV2s2() {
        RawManifest artifact = manifest("""
                {"mediaType": "application/vnd.oci.artifact.manifest.v1+json", "artifactType": "application/spdx+json",
                 "blobs": [{"mediaType": "application/spdx+json", "size": 100, "digest": "%s"}]}""".formatted(L1));

        assertSame(artifact, ManifestConversion.image(artifact, ManifestFormat.OCI, "x"));
        RegctlException e = assertThrows(RegctlException.class,
                () -> ManifestConversion.image(artifact, ManifestFormat.V2S2, "x"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("it is an OCI 1.1-rc artifact manifest"), e.getMessage());
    }

    @Test
    void schema1IsNotConverted() {
        String json = """
                {"schemaVersion": 1, "name": "app", "tag": "1", "architecture": "amd64",
                 "fsLayers": [{"blobSum": "%s"}], "history": [{"v1Compatibility": "{}"}]}""".formatted(L1);

        RegctlException e = assertThrows(RegctlException.class,
                () -> ManifestConversion.image(manifest(json), ManifestFormat.OCI, "x"));

        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("Docker schema 1"), e.getMessage());
    }

    @Test
    void aManifestListBecomesAnOciIndexListingTheConvertedChildren() throws IOException {
        RawManifest amd64 = manifest(DOCKER_IMAGE);
        RawManifest arm64 = manifest(DOCKER_IMAGE.replace("\"size\": 100", "\"size\": 101"));
        String list = """
                {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
                 "manifests": [
                   {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": %d, "digest": "%s",
                    "platform": {"architecture": "amd64", "os": "linux"}},
                   {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": %d, "digest": "%s",
                    "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}}]}"""
                .formatted(amd64.size(), amd64.digest(), arm64.size(), arm64.digest());
        RawManifest amd64Oci = ManifestConversion.image(amd64, ManifestFormat.OCI, "x");
        RawManifest arm64Oci = ManifestConversion.image(arm64, ManifestFormat.OCI, "x");

        RawManifest index = ManifestConversion.index(manifest(list), ManifestFormat.OCI,
                Map.of(amd64.digest(), amd64Oci, arm64.digest(), arm64Oci), "x");

        assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
        JsonNode entries = tree(index).path("manifests");
        assertEquals(amd64Oci.digest().toString(), entries.get(0).path("digest").asText());
        assertEquals(amd64Oci.size(), entries.get(0).path("size").asLong());
        assertEquals(MediaTypes.OCI_MANIFEST, entries.get(0).path("mediaType").asText());
        assertEquals(arm64Oci.digest().toString(), entries.get(1).path("digest").asText());
        assertEquals("v8", entries.get(1).path("platform").path("variant").asText());
        assertEquals(index.digest(), Digest.sha256(index.bytes()));
    }

    @Test
    void anIndexWhoseChildrenAndTypeStayKeepsItsBytes() {
        RawManifest child = manifest(oci("", MediaTypes.OCI_LAYER_GZIP));
        RawManifest index = manifest("""
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": %d, "digest": "%s"}]}"""
                .formatted(child.size(), child.digest()));

        assertSame(index, ManifestConversion.index(index, ManifestFormat.OCI, Map.of(child.digest(), child), "x"));
    }

    @Test
    void aManifestListRefusesAnnotationsAndNestedIndexes() {
        RawManifest child = manifest(DOCKER_IMAGE);
        RawManifest nested = manifest("""
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": [{"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": %d, "digest": "%s"}]}"""
                .formatted(child.size(), child.digest()));
        RawManifest index = manifest("""
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json", "size": %d, "digest": "%s",
                                "annotations": {"vnd.docker.reference.type": "attestation-manifest"}}],
                 "annotations": {"org.example": "x"}}""".formatted(nested.size(), nested.digest()));

        RegctlException e = assertThrows(RegctlException.class, () -> ManifestConversion.index(index,
                ManifestFormat.V2S2, Map.of(nested.digest(), nested), "r.example/app:1"));

        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("--format v2s2: r.example/app:1 cannot be written as Docker schema 2: it has annotations"
                + " (org.example); its entry " + nested.digest() + " is an index, which a Docker manifest list cannot"
                + " list; its entry " + nested.digest() + " has annotations (vnd.docker.reference.type); nothing was"
                + " copied", e.getMessage());
    }
}
