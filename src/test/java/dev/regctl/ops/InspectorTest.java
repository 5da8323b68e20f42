package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Images.Image;
import dev.regctl.testing.ImageParts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What inspect reports about artifacts and platforms, and how --platform picks an image. */
class InspectorTest {
    private final MemoryStore store = new MemoryStore("r.example/app");
    private final Inspector inspector = new Inspector(store);

    /** An image manifest over {@code config} (of the given media type), with optional extra fields. */
    private RawManifest manifest(String configMediaType, String config, String tag, ObjectNode extra) {
        Descriptor c = ImageParts.blob(store, configMediaType, config.getBytes(StandardCharsets.UTF_8));
        ObjectNode m = Images.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", Images.descriptor(c));
        m.putArray("layers");
        if (extra != null) {
            m.setAll(extra);
        }
        RawManifest raw = RawManifest.of(Images.write(m), MediaTypes.OCI_MANIFEST);
        store.putManifest(raw, tag);
        return raw;
    }

    @Test
    void anArtifactShowsItsTypeItsSubjectAndItsAnnotationsSorted() {
        Image image = Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1));
        ObjectNode extra = Images.JSON.createObjectNode().put("artifactType", "application/vnd.example.sig");
        extra.set("subject", Images.descriptor(image.manifest().descriptor()));
        extra.putObject("annotations").put("zz.last", "2").put("aa.first", "1");
        RawManifest sig = manifest(Images.EMPTY, "{}", null, extra);

        ImageSummary s = inspector.summarise("sig", sig);

        assertEquals("application/vnd.example.sig", s.artifactType());
        assertEquals(image.digest().toString(), s.subject());
        assertEquals(List.of("aa.first", "zz.last"), new ArrayList<>(s.annotations().keySet()));
        assertEquals("1", s.annotations().get("aa.first"));
        assertNull(s.platform(), "an empty config names no platform");
    }

    @Test
    void anOci11RcArtifactManifestShowsItsTypeSubjectAndBlobs() {
        Image image = Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1));
        RawManifest sbom = Images.artifactManifest(store, image.manifest().descriptor(), "application/spdx+json", "{}", "sbom");

        ImageSummary s = inspector.summarise("sbom", inspector.manifest("sbom"));

        assertEquals(MediaTypes.OCI_ARTIFACT_MANIFEST, s.mediaType());
        assertEquals(sbom.digest().toString(), s.digest());
        assertEquals("application/spdx+json", s.artifactType());
        assertEquals(image.digest().toString(), s.subject());
        assertEquals(1, s.layers().size(), "its blobs");
        assertEquals("application/vnd.example.file", s.layers().get(0).mediaType());
        assertNull(s.config());
        assertNull(s.platform());
    }

    @Test
    void anArtifactWithoutArtifactTypeIsTypedByItsConfigAsTheImageSpecSays() {
        RawManifest chart = manifest("application/vnd.cncf.helm.config.v1+json", "{\"name\":\"c\"}", "chart", null);

        assertEquals("application/vnd.cncf.helm.config.v1+json", inspector.summarise("chart", chart).artifactType());
    }

    @Test
    void anImageHasNoArtifactTypeNoSubjectAndNoAnnotations() {
        Image image = Images.image(store, "v1", "linux/arm64/v8", ImageParts.random(10, 1));

        ImageSummary s = inspector.summarise("v1", image.manifest());

        assertNull(s.artifactType());
        assertNull(s.subject());
        assertNull(s.annotations());
        assertEquals("linux/arm64/v8", s.platform());
    }

    @Test
    void aCosignSignatureWhoseConfigHasEmptyOsAndArchitectureHasNoPlatform() {
        // What cosign writes: an image config with "" for both, and a layer of the signed payload.
        RawManifest sig = manifest(MediaTypes.OCI_CONFIG,
                "{\"architecture\":\"\",\"os\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"rootfs\":{\"type\":\"layers\"}}",
                "sha256-abc.sig", null);

        ImageSummary s = inspector.summarise("sig", sig);

        assertNull(s.platform());
        assertNull(s.artifactType(), "an image config does not make it an artifact");
    }

    @Test
    void anIndexChildWithoutAPlatformHasNone() {
        Image amd = Images.image(store, null, "linux/amd64", ImageParts.random(10, 1));
        ObjectNode index = Images.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX)
                .put("artifactType", "application/vnd.example.bundle");
        index.putArray("manifests").add(Images.descriptor(amd.manifest().descriptor()));
        index.putObject("annotations").put("b", "2").put("a", "1");
        RawManifest raw = RawManifest.of(Images.write(index), MediaTypes.OCI_INDEX);

        ImageSummary s = inspector.summarise("i", raw);

        assertNull(s.platforms().get(0).platform());
        assertEquals("application/vnd.example.bundle", s.artifactType());
        assertEquals(Map.of("a", "1", "b", "2"), s.annotations());
    }

    @Test
    void forPlatformPicksTheChildOfAnIndex() {
        Image amd = Images.image(store, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(store, null, "linux/arm64/v8", ImageParts.random(10, 2));
        RawManifest index = Images.index(store, "v1", MediaTypes.OCI_INDEX, amd, arm);

        assertEquals(arm.digest(), inspector.forPlatform(index, Platform.parse("linux/arm64"), "app:v1").digest());
        assertEquals(amd.digest(), inspector.forPlatform(index, Platform.parse("linux/amd64"), "app:v1").digest());
        RegctlException none = assertThrows(RegctlException.class,
                () -> inspector.forPlatform(index, Platform.parse("linux/s390x"), "app:v1"));
        assertEquals(RegctlException.Kind.NOT_FOUND, none.kind());
        assertTrue(none.getMessage().contains("linux/amd64, linux/arm64/v8"), none.getMessage());
    }

    @Test
    void linuxArmIsV7AsDockerHasItAndAnOlderVariantOnlyWhereThereIsNoV7() {
        Image v6 = Images.image(store, null, "linux/arm/v6", ImageParts.random(10, 1));
        Image v7 = Images.image(store, null, "linux/arm/v7", ImageParts.random(10, 2));
        RawManifest both = Images.index(store, "v1", MediaTypes.OCI_INDEX, v6, v7);
        RawManifest onlyV6 = Images.index(store, "v2", MediaTypes.OCI_INDEX, v6);

        assertEquals(v7.digest(), inspector.forPlatform(both, Platform.parse("linux/arm"), "app:v1").digest());
        assertEquals(v6.digest(), inspector.forPlatform(both, Platform.parse("linux/arm/v6"), "app:v1").digest());
        assertEquals(v6.digest(), inspector.forPlatform(onlyV6, Platform.parse("linux/arm"), "app:v2").digest(),
                "v6 runs on v7, so it serves linux/arm where there is no v7");
    }

    /** mcr.microsoft.com style: one windows/amd64 child per Windows Server build. */
    @Test
    void windowsBuildsAreShownAndPickedByOsVersion() {
        Image ltsc2019 = Images.image(store, null, "windows(10.0.17763.5576)/amd64", ImageParts.random(10, 1));
        Image ltsc2022 = Images.image(store, null, "windows(10.0.20348.2340)/amd64", ImageParts.random(10, 2));
        RawManifest index = Images.index(store, "v1", MediaTypes.DOCKER_MANIFEST_LIST, ltsc2019, ltsc2022);

        ImageSummary.PlatformEntry entry = inspector.summarise("app:v1", index).platforms().get(1);
        assertEquals("windows/amd64", entry.platform());
        assertEquals("10.0.20348.2340", entry.osVersion());
        assertEquals("windows(10.0.20348.2340)/amd64", entry.platformText());

        RawManifest picked = inspector.forPlatform(index, Platform.parse("windows(10.0.20348)/amd64"), "app:v1");
        assertEquals(ltsc2022.digest(), picked.digest());
        ImageSummary image = inspector.summarise("app:v1", picked);
        assertEquals("windows/amd64", image.platform());
        assertEquals("10.0.20348.2340", image.osVersion(), "from the image's config");

        RegctlException e = assertThrows(RegctlException.class,
                () -> inspector.forPlatform(index, Platform.parse("windows/amd64"), "app:v1"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("app:v1 has 2 images for windows/amd64: windows(10.0.17763.5576)/amd64 " + ltsc2019.digest()
                + ", windows(10.0.20348.2340)/amd64 " + ltsc2022.digest(), e.getMessage());
        assertEquals("give the Windows build in --platform, e.g. --platform 'windows(10.0.17763)/amd64' (one of"
                + " windows(10.0.17763)/amd64, windows(10.0.20348)/amd64), or name the image by digest", e.hint());
        RegctlException none = assertThrows(RegctlException.class,
                () -> inspector.forPlatform(index, Platform.parse("windows(10.0.26100)/amd64"), "app:v1"));
        assertTrue(none.getMessage().endsWith("its platforms: windows(10.0.17763.5576)/amd64, windows(10.0.20348.2340)/amd64"),
                none.getMessage());
    }

    @Test
    void forPlatformOnOneImageChecksItsPlatform() {
        Image amd = Images.image(store, "v1", "linux/amd64", ImageParts.random(10, 1));

        assertEquals(amd.digest(), inspector.forPlatform(amd.manifest(), Platform.parse("linux/amd64"), "app:v1").digest());
        RegctlException e = assertThrows(RegctlException.class,
                () -> inspector.forPlatform(amd.manifest(), Platform.parse("linux/arm64"), "app:v1"));
        assertEquals(RegctlException.Kind.NOT_FOUND, e.kind());
        assertEquals("app:v1 is one image for linux/amd64, not linux/arm64", e.getMessage());
    }
}
