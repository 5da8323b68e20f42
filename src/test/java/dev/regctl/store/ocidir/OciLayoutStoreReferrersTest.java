package dev.regctl.store.ocidir;

import static dev.regctl.testing.ImageParts.blob;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layout answers "who refers to this manifest" from the subjects of its index.json entries. */
class OciLayoutStoreReferrersTest {
    private static final String EMPTY = "application/vnd.oci.empty.v1+json";

    @TempDir
    Path dir;

    @Test
    void listsEntriesWhoseManifestNamesTheSubject() {
        OciLayoutStore store = OciLayoutStore.create(dir);
        Descriptor empty = blob(store, EMPTY, "{}");
        RawManifest image = manifest("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(empty, EMPTY) + ",\"layers\":[]}");
        store.putManifest(image, "v1");
        RawManifest signature = manifest(artifact(empty, image.descriptor(), "application/vnd.example.sig",
                ",\"annotations\":{\"created\":\"2024-01-01\"}"));
        RawManifest sbom = manifest(artifact(empty, image.descriptor(), null, ""));
        RawManifest unrelated = manifest(artifact(empty, new Descriptor(MediaTypes.OCI_MANIFEST,
                Digest.sha256("other".getBytes(StandardCharsets.UTF_8)), 5), "application/vnd.example.sig", ""));
        store.putManifest(signature, null);
        store.putManifest(sbom, "sbom");
        store.putManifest(sbom, "sbom-again");
        store.putManifest(unrelated, null);

        List<Descriptor> referrers = store.referrers(image.digest());

        assertEquals(List.of(signature.digest().toString(), sbom.digest().toString()),
                referrers.stream().map(d -> d.digest().toString()).toList(), "each referrer once, in index order");
        assertEquals("application/vnd.example.sig", referrers.get(0).artifactType());
        assertEquals(Map.of("created", "2024-01-01"), referrers.get(0).annotations());
        assertEquals(EMPTY, referrers.get(1).artifactType(), "no artifactType: the config's media type");
        assertEquals(sbom.size(), referrers.get(1).size());
        assertEquals(List.of(), store.referrers(signature.digest()));
    }

    @Test
    void anOci11RcArtifactManifestIsReadAndListedAsAReferrer() {
        // ORAS 1.0 and notation rc wrote these: no schemaVersion, no config, "blobs" for layers.
        OciLayoutStore store = OciLayoutStore.create(dir);
        Descriptor empty = blob(store, EMPTY, "{}");
        RawManifest image = manifest("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(empty, EMPTY) + ",\"layers\":[]}");
        store.putManifest(image, "v1");
        Descriptor file = blob(store, EMPTY, "sbom");
        RawManifest artifact = RawManifest.of(("{\"mediaType\":\"" + MediaTypes.OCI_ARTIFACT_MANIFEST
                + "\",\"artifactType\":\"application/spdx+json\",\"blobs\":[" + json(file, "application/spdx+json")
                + "],\"subject\":" + json(image.descriptor(), image.mediaType()) + "}").getBytes(StandardCharsets.UTF_8),
                MediaTypes.OCI_ARTIFACT_MANIFEST);
        store.putManifest(artifact, "sbom");

        RawManifest read = store.fetchManifest("sbom");

        assertEquals(artifact.digest(), read.digest());
        assertEquals(MediaTypes.OCI_ARTIFACT_MANIFEST, read.mediaType());
        assertEquals(List.of(artifact.digest().toString()),
                store.referrers(image.digest()).stream().map(d -> d.digest().toString()).toList());
    }

    private static String artifact(Descriptor config, Descriptor subject, String artifactType, String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\""
                + (artifactType == null ? "" : ",\"artifactType\":\"" + artifactType + "\"")
                + ",\"config\":" + json(config, EMPTY) + ",\"layers\":[" + json(config, EMPTY) + "]"
                + ",\"subject\":" + json(subject, subject.mediaType()) + extra + "}";
    }

    private static String json(Descriptor d, String mediaType) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    private static RawManifest manifest(String json) {
        return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), null);
    }
}
