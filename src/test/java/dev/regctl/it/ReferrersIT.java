package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.TestImages;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.Images;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Referrers on the real CNCF distribution 2.8, which has no referrers API, so everything goes
 * through the {@code sha256-<hex>} tag schema: pushing a manifest with a {@code subject} lists it,
 * deleting it unlists it, a stale entry does not stop {@code copy --referrers}, and
 * {@code regctl referrers} shows the tree. Every regctl run is the packaged launcher.
 */
class ReferrersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIG = "application/vnd.example.signature";
    private static final String SBOM = "application/spdx+json";
    private static final String CREATED = "2024-05-01T12:00:00Z";

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer registry;
    @AutoClose
    static Launcher regctl;

    private static final OkHttpClient http = new OkHttpClient();

    /** A layout holding an image (v1), its signature (sig), its SBOM (sbom) and the SBOM's signature (sbom-sig). */
    private static Path layout;
    private static Digest image;
    private static RawManifest signature;
    private static RawManifest sbom;
    private static RawManifest sbomSignature;

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.open().deleteEnabled(true).start();
        regctl = Launcher.create();
        layout = work.resolve("layout");
        LayoutImage built = TestImages.singleImage(layout, "v1", 1, 256, "linux/amd64", 7L);
        image = Digest.parse(built.digest());
        try (OciLayoutStore store = OciLayoutStore.open(layout)) {
            Descriptor subject = store.fetchManifest("v1").descriptor();
            signature = Images.referrer(store, subject, SIG, "signed", "sig",
                    Map.of("org.opencontainers.image.created", CREATED));
            sbom = Images.referrer(store, subject, SBOM, "packages", "sbom");
            sbomSignature = Images.referrer(store, sbom.descriptor(), SIG, "sbom signed", "sbom-sig");
        }
    }

    private static String ref(String repositoryAndTag) {
        return registry.host() + "/" + repositoryAndTag;
    }

    private static Launcher.Result ok(String... args) {
        Launcher.Result r = regctl.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    /** Copies v1 and then, one by one and without --referrers, each artifact into {@code repository}. */
    private static void pushAll(String repository, String... tags) {
        ok("copy", "oci:" + layout + ":v1", ref(repository + ":v1"));
        for (String tag : tags) {
            ok("copy", "oci:" + layout + ":" + tag, ref(repository + ":" + tag));
        }
    }

    /** The digests the tag schema index of {@code subject} lists, or null when there is no such tag. */
    private static List<String> listed(String repository, Digest subject) throws IOException {
        JsonNode index = get(repository, ReferrerTags.fallback(subject));
        if (index == null) {
            return null;
        }
        List<String> digests = new ArrayList<>();
        index.path("manifests").forEach(m -> digests.add(m.path("digest").asText()));
        return digests;
    }

    private static JsonNode get(String repository, String reference) throws IOException {
        Request request = new Request.Builder().url(registry.url() + "/v2/" + repository + "/manifests/" + reference)
                .header("Accept", MediaTypes.OCI_INDEX + ", " + MediaTypes.OCI_MANIFEST).build();
        try (Response r = http.newCall(request).execute()) {
            if (r.code() == 404) {
                return null;
            }
            assertEquals(200, r.code(), "GET " + reference);
            return JSON.readTree(r.body().bytes());
        }
    }

    @Test
    void pushingReferrersWithoutTheFlagListsThemAndReferrersShowsTheTree() throws IOException {
        pushAll("tree/app", "sig", "sbom", "sbom-sig");

        assertEquals(List.of(signature.digest().toString(), sbom.digest().toString()), listed("tree/app", image));
        assertEquals(List.of(sbomSignature.digest().toString()), listed("tree/app", sbom.digest()));
        JsonNode entry = get("tree/app", ReferrerTags.fallback(image)).path("manifests").path(0);
        assertEquals(SIG, entry.path("artifactType").asText(), entry.toString());

        Launcher.Result text = ok("referrers", ref("tree/app:v1"));
        assertEquals(List.of(
                signature.digest() + "  " + SIG + "  (" + CREATED + ")",
                sbom.digest() + "  " + SBOM,
                "  " + sbomSignature.digest() + "  " + SIG), text.stdoutLines());

        JsonNode tree = JSON.readTree(ok("referrers", "-o", "json", ref("tree/app:v1")).stdoutText());
        assertEquals(image.toString(), tree.path("digest").asText());
        assertEquals(sbomSignature.digest().toString(),
                tree.path("referrers").path(1).path("referrers").path(0).path("digest").asText(), tree.toString());

        Launcher.Result sboms = ok("referrers", "--artifact-type", SBOM, ref("tree/app:v1"));
        assertEquals(List.of(sbom.digest() + "  " + SBOM), sboms.stdoutLines());
    }

    @Test
    void deletingAReferrerTakesItOutOfItsSubjectsIndex() throws IOException {
        pushAll("deleted/app", "sig", "sbom");

        ok("delete", ref("deleted/app@" + signature.digest()));
        assertEquals(List.of(sbom.digest().toString()), listed("deleted/app", image));
        ok("delete", ref("deleted/app:sbom"));

        assertEquals(List.of(), listed("deleted/app", image), "an emptied index stays, empty");
        assertEquals(List.of(), ok("referrers", ref("deleted/app:v1")).stdoutLines());
    }

    @Test
    void aStaleEntryIsOneWarningAndTheCopyGoesOn() throws IOException {
        pushAll("stale/app", "sig", "sbom");
        // Deleted behind regctl's back, as a client that does not keep the index would.
        Request delete = new Request.Builder().delete()
                .url(registry.url() + "/v2/stale/app/manifests/" + signature.digest()).build();
        try (Response r = http.newCall(delete).execute()) {
            assertEquals(202, r.code());
        }

        Launcher.Result copy = ok("copy", "--referrers", ref("stale/app:v1"), ref("stale/copy:v1"));

        List<String> warnings = copy.stderrLines().stream().filter(l -> l.startsWith("regctl: warning:")).toList();
        assertEquals(1, warnings.size(), copy.stderr());
        assertTrue(warnings.get(0).contains(signature.digest().toString()), warnings.get(0));
        assertEquals(List.of(sbom.digest().toString()), listed("stale/copy", image));
        assertEquals(null, get("stale/copy", signature.digest().toString()));
    }

    /**
     * cosign's tags ({@code sha256-<hex>.sig}, {@code .att}) name referrers that no index lists:
     * {@code referrers} shows them with their kind, and after {@code copy --referrers} shows the
     * same on the copy, since both find them the same way.
     */
    @Test
    void cosignTagsAreShownAsReferrersAndCopiedAsShown() {
        Path signed = work.resolve("cosign-layout");
        ok("copy", "oci:" + layout + ":v1", "oci:" + signed + ":v1");
        RawManifest sig;
        RawManifest att;
        try (OciLayoutStore store = OciLayoutStore.open(signed)) {
            sig = Images.cosign(store, image, ".sig", "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" + image + "\"}}}");
            att = Images.cosign(store, image, ".att", "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\"}");
        }
        ok("copy", "--all-tags", "oci:" + signed, ref("cosign/app"));
        ok("copy", "oci:" + layout + ":sig", ref("cosign/app:sig"));
        String sigTag = ReferrerTags.cosign(image).get(0);
        String attTag = ReferrerTags.cosign(image).get(1);
        List<String> expected = List.of(
                signature.digest() + "  " + SIG + "  (" + CREATED + ")",
                sig.digest() + "  -  cosign signature (" + sigTag + ")",
                att.digest() + "  -  cosign attestation (" + attTag + ")");

        assertEquals(expected, ok("referrers", ref("cosign/app:v1")).stdoutLines());

        ok("copy", "--referrers", ref("cosign/app:v1"), ref("cosign/copy:v1"));
        assertEquals(expected, ok("referrers", ref("cosign/copy:v1")).stdoutLines());
    }
}
