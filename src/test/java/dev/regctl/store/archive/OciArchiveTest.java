package dev.regctl.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.image.ReferrersIndex;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI archives: referrers kept as a layout keeps them, and what docker's OCI archives need to be read. */
class OciArchiveTest {

    @TempDir
    Path dir;

    private static final byte[] CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAYER = {1, 2, 3};

    /**
     * An SBOM written with its image is listed in index.json as a layout lists it, so no
     * {@code sha256-<hex>} tag is needed, and it is a referrer of the image when read back.
     */
    @Test
    void referrersAreListedInIndexJsonAsALayoutListsThem() throws IOException {
        Path file = dir.resolve("with-sbom.tar");
        RawManifest image = manifest(null, null);
        RawManifest sbom = manifest(image.descriptor(), "application/spdx+json");
        try (ImageStore writer = ArchiveStores.write(ArchiveReference.parse("oci-archive:" + file))) {
            putBlobs(writer);
            writer.putManifest(image, "1");
            writer.putManifest(sbom, null);
            assertEquals(List.of(sbom.digest()), writer.referrers(image.digest()).stream().map(Descriptor::digest).toList());
            assertEquals("application/spdx+json", writer.referrers(image.digest()).get(0).artifactType());
            assertEquals(Optional.empty(), ReferrersIndex.list(writer, image.digest(), List.of(ReferrersIndex.entry(sbom))),
                    "no fallback tag: the archive lists it");
            writer.commit();
        }
        try (ImageStore read = ArchiveStores.read(ArchiveReference.parse("oci-archive:" + file))) {
            assertEquals(List.of(sbom.digest()), read.referrers(image.digest()).stream().map(Descriptor::digest).toList());
            assertEquals(List.of("1"), read.listTags());
            assertEquals("1", read.onlyImage(), "the SBOM beside it is no choice");
        }
    }

    /**
     * {@code docker save app:1 tool:1} (docker 25+): both entries' ref.name is {@code 1}; the full
     * name in {@code io.containerd.image.name} tells them apart, in full or as docker shows it.
     */
    @Test
    void imagesOfTheSameTagAreToldApartByTheirContainerdName() throws IOException {
        RawManifest app = manifest(null, "app");
        RawManifest tool = manifest(null, "tool");
        Path file = ociArchive(List.of(app, tool), List.of(
                entry(app, "1", "docker.io/library/app:1"), entry(tool, "1", "docker.io/library/tool:1")));
        try (ImageStore store = ArchiveStores.read(ArchiveReference.parse("oci-archive:" + file))) {
            assertEquals(app.digest(), store.fetchManifest("app:1").digest());
            assertEquals(tool.digest(), store.fetchManifest("docker.io/library/tool:1").digest());
            assertEquals(tool.digest(), store.headManifest("tool:1").orElseThrow().digest());
            RegctlException ambiguous = assertThrows(RegctlException.class, () -> store.fetchManifest("1"));
            assertEquals(RegctlException.Kind.USAGE, ambiguous.kind());
            assertEquals("name the image by its full name: oci-archive:" + file + ":app:1, oci-archive:" + file + ":tool:1",
                    ambiguous.hint());
            RegctlException several = assertThrows(RegctlException.class, store::onlyImage);
            assertEquals("choices: app:1, tool:1", several.hint());
            assertEquals(RegctlException.Kind.NOT_FOUND, assertThrows(RegctlException.class, () -> store.fetchManifest("other:1")).kind());
        }
    }

    /**
     * Docker 25 saves a multi-platform image's whole index but only its own platform's blobs: the
     * platforms it lacks are said to be lacking, and the one it has offered with --platform.
     */
    @Test
    void aPlatformTheArchiveLacksIsNamedWithThoseItHolds() throws IOException {
        RawManifest amd64 = manifest(null, "amd64");
        RawManifest arm64 = manifest(null, "arm64");
        RawManifest attestation = manifest(amd64.descriptor(), "att");
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + child(amd64, "{\"os\":\"linux\",\"architecture\":\"amd64\"}", "") + ","
                + child(arm64, "{\"os\":\"linux\",\"architecture\":\"arm64\"}", "") + ","
                + child(attestation, "{\"os\":\"unknown\",\"architecture\":\"unknown\"}",
                ",\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}") + "]}";
        RawManifest top = RawManifest.of(index.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
        Path file = ociArchive(List.of(top, amd64), List.of(entry(top, "3.20", "docker.io/library/alpine:3.20")));
        try (ImageStore store = ArchiveStores.read(ArchiveReference.parse("oci-archive:" + file))) {
            assertEquals(top.digest(), store.fetchManifest(store.onlyImage()).digest());
            RegctlException e = assertThrows(RegctlException.class, () -> store.fetchManifest(arm64.digest()));
            assertEquals(RegctlException.Kind.NOT_FOUND, e.kind());
            assertTrue(e.getMessage().contains(arm64.digest() + " (linux/arm64) of index " + top.digest()
                    + " is not in the archive, which holds linux/amd64 of its 2 platforms"), e.getMessage());
            assertEquals("pick what it holds with --platform linux/amd64", e.hint());
            assertEquals(amd64.digest(), store.fetchManifest(amd64.digest()).digest());
        }
    }

    private static String child(RawManifest m, String platform, String more) {
        return "{\"mediaType\":\"" + m.mediaType() + "\",\"digest\":\"" + m.digest() + "\",\"size\":" + m.size()
                + ",\"platform\":" + platform + more + "}";
    }

    private static String entry(RawManifest m, String refName, String imageName) {
        return "{\"mediaType\":\"" + m.mediaType() + "\",\"digest\":\"" + m.digest() + "\",\"size\":" + m.size()
                + ",\"annotations\":{\"io.containerd.image.name\":\"" + imageName
                + "\",\"org.opencontainers.image.ref.name\":\"" + refName + "\"}}";
    }

    /** An OCI archive as docker save writes one: the config, the layer, these manifests and index.json entries. */
    private Path ociArchive(List<RawManifest> manifests, List<String> entries) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        parts.add(TarBytes.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8)));
        parts.add(TarBytes.file(OciArchiveContent.blobName(Digest.sha256(CONFIG)), CONFIG));
        parts.add(TarBytes.file(OciArchiveContent.blobName(Digest.sha256(LAYER)), LAYER));
        for (RawManifest m : manifests) {
            parts.add(TarBytes.file(OciArchiveContent.blobName(m.digest()), m.bytes()));
        }
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + String.join(",", entries) + "]}";
        parts.add(TarBytes.file("index.json", index.getBytes(StandardCharsets.UTF_8)));
        parts.add(TarBytes.end());
        return Files.write(dir.resolve("docker-oci-" + System.nanoTime() + ".tar"), TarBytes.concat(parts.toArray(byte[][]::new)));
    }

    private static void putBlobs(ImageStore store) {
        store.putBlob(new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(CONFIG), CONFIG.length), new ByteArrayInputStream(CONFIG));
        store.putBlob(new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(LAYER), LAYER.length), new ByteArrayInputStream(LAYER));
    }

    /** An image manifest, told apart by {@code label}; a referrer of {@code subject} when given. */
    private static RawManifest manifest(Descriptor subject, String label) {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\""
                + (subject == null ? "" : ",\"artifactType\":\"" + (label.contains("/") ? label : "application/x-" + label) + "\"")
                + ",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(CONFIG)
                + "\",\"size\":" + CONFIG.length + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP
                + "\",\"digest\":\"" + Digest.sha256(LAYER) + "\",\"size\":" + LAYER.length + "}]"
                + (subject == null ? "" : ",\"subject\":{\"mediaType\":\"" + subject.mediaType() + "\",\"digest\":\""
                + subject.digest() + "\",\"size\":" + subject.size() + "}")
                + (label == null ? "" : ",\"annotations\":{\"label\":\"" + label + "\"}") + "}";
        return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
    }
}
