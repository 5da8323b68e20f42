package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.Buildah;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Skopeo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images and manifest lists that buildah built from scratch and pushed to a real distribution
 * registry, in docker v2s2 and in OCI format, read and copied by regctl the way users run it.
 * The truth is what the registry serves, as skopeo (another implementation) reads it: regctl's
 * digests must be the hash of those bytes, and its copies must serve the very same bytes.
 *
 * <p>buildah runs once for the class (a build and four pushes), into one source registry; each
 * test writes only to repositories of its own on a second registry or into its own layout.
 */
class BuildahIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V2S2_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String V2S2_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /** How many layers buildah committed per platform: different counts show which image is which. */
    private static final Map<String, Integer> LAYERS_PER_PLATFORM = Map.of("linux/amd64", 1, "linux/arm64", 2);
    /** The platform of the single images; the lists hold both, amd64 first as they were added. */
    private static final String IMAGE_PLATFORM = "linux/arm64";

    /**
     * One thing buildah pushed: where, and the media types the asked-for format must give.
     *
     * @param mediaType      of the manifest or list at {@code repository:tag}
     * @param imageMediaType of the image manifests (the same as {@code mediaType} for an image)
     */
    record Pushed(String repository, String tag, String mediaType, String imageMediaType) {
        boolean isList() {
            return !mediaType.equals(imageMediaType);
        }

        String reference() {
            return repository + ":" + tag;
        }

        @Override
        public String toString() {
            return reference();
        }
    }

    private static final Pushed IMAGE_V2S2 = new Pushed("buildah/image", "v2s2", V2S2_MANIFEST, V2S2_MANIFEST);
    private static final Pushed IMAGE_OCI = new Pushed("buildah/image", "oci", OCI_MANIFEST, OCI_MANIFEST);
    private static final Pushed LIST_V2S2 = new Pushed("buildah/list", "v2s2", V2S2_LIST, V2S2_MANIFEST);
    private static final Pushed LIST_OCI = new Pushed("buildah/list", "oci", OCI_INDEX, OCI_MANIFEST);
    /** An image of its own content, so no gzip copy of its layer exists that buildah could send instead. */
    private static final Pushed IMAGE_ZSTD = new Pushed("buildah/zstd", "oci", OCI_MANIFEST, OCI_MANIFEST);
    private static final String ZSTD_LAYER = "application/vnd.oci.image.layer.v1.tar+zstd";

    @TempDir
    static Path work;

    @AutoClose
    static RegistryServer source;
    @AutoClose
    static RegistryServer target;
    @AutoClose
    static Launcher regctl;

    private static final Skopeo skopeo = Skopeo.anonymous();
    /** The manifest bytes the source registry serves for each push, read by skopeo. */
    private static final Map<Pushed, byte[]> served = new LinkedHashMap<>();

    static Stream<Pushed> everything() {
        return Stream.of(IMAGE_V2S2, IMAGE_OCI, LIST_V2S2, LIST_OCI);
    }

    static Stream<Pushed> images() {
        return Stream.of(IMAGE_V2S2, IMAGE_OCI);
    }

    static Stream<Pushed> lists() {
        return Stream.of(LIST_V2S2, LIST_OCI);
    }

    @BeforeAll
    static void buildAndPush() {
        source = RegistryServer.open().start();
        target = RegistryServer.open().start();
        regctl = Launcher.create();
        // The storage is only needed to build and push: it is gone before the first test runs.
        try (Buildah buildah = Buildah.create()) {
            for (String platform : LAYERS_PER_PLATFORM.keySet().stream().sorted().toList()) {
                String[] osArch = platform.split("/");
                buildah.scratchImage(local(osArch[1]), osArch[0], osArch[1], layerFiles(platform));
            }
            buildah.push(local("arm64"), source.docker(IMAGE_V2S2.reference()), "v2s2");
            buildah.push(local("arm64"), source.docker(IMAGE_OCI.reference()), "oci");
            buildah.manifestCreate(local("list"));
            buildah.manifestAdd(local("list"), local("amd64"));
            buildah.manifestAdd(local("list"), local("arm64"));
            buildah.manifestPush(local("list"), source.docker(LIST_V2S2.reference()), "v2s2");
            buildah.manifestPush(local("list"), source.docker(LIST_OCI.reference()), "oci");
            buildah.scratchImage(local("zstd"), "linux", "arm64", Map.of("zstd.txt",
                    ("compressed with zstd, " + System.nanoTime() + "\n").getBytes(StandardCharsets.UTF_8)));
            buildah.pushZstd(local("zstd"), source.docker(IMAGE_ZSTD.reference()));
        }
        Stream.concat(everything(), Stream.of(IMAGE_ZSTD)).forEach(p -> served.put(p, skopeo.inspectRaw(source.docker(p.reference()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everything")
    void digestIsTheHashOfWhatTheRegistryServes(Pushed pushed) {
        JsonNode manifest = json(served.get(pushed));
        // Guards the fixture: buildah wrote the format it was asked for.
        assertEquals(pushed.mediaType(), manifest.path("mediaType").asText());

        Launcher.Result digest = regctlOk("digest", source.host() + "/" + pushed.reference());

        assertEquals(List.of(sha256(served.get(pushed))), digest.stdoutLines(), digest::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void inspectOfAnImageShowsItsPlatformConfigAndLayers(Pushed pushed) {
        String reference = source.host() + "/" + pushed.reference();

        JsonNode inspect = regctlJson("inspect", "-o", "json", reference);

        assertEquals(sha256(served.get(pushed)), inspect.path("digest").asText(), inspect::toPrettyString);
        assertEquals(served.get(pushed).length, inspect.path("size").asLong(), inspect::toPrettyString);
        assertImageAsServed(pushed.repository(), served.get(pushed), IMAGE_PLATFORM, pushed.imageMediaType(), inspect);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void inspectOfAListShowsEachPlatformAndEachImagesLayers(Pushed pushed) {
        JsonNode list = json(served.get(pushed));

        JsonNode inspect = regctlJson("inspect", "-o", "json", source.host() + "/" + pushed.reference());

        assertEquals(sha256(served.get(pushed)), inspect.path("digest").asText(), inspect::toPrettyString);
        assertEquals(pushed.mediaType(), inspect.path("mediaType").asText(), inspect::toPrettyString);
        assertEquals(served.get(pushed).length, inspect.path("size").asLong(), inspect::toPrettyString);
        assertEquals(list.path("manifests").size(), inspect.path("platforms").size(), inspect::toPrettyString);
        List<String> platforms = new ArrayList<>();
        for (int i = 0; i < list.path("manifests").size(); i++) {
            JsonNode entry = list.path("manifests").path(i);
            JsonNode shown = inspect.path("platforms").path(i);
            String platform = entry.path("platform").path("os").asText() + "/" + entry.path("platform").path("architecture").asText();
            platforms.add(shown.path("platform").asText());
            assertEquals(platform, shown.path("platform").asText(), inspect::toPrettyString);
            assertEquals(entry.path("digest").asText(), shown.path("digest").asText(), inspect::toPrettyString);
            assertEquals(entry.path("size").asLong(), shown.path("size").asLong(), inspect::toPrettyString);
            assertEquals(pushed.imageMediaType(), shown.path("mediaType").asText(), inspect::toPrettyString);

            // Each child by digest, as a user drills down from the list.
            String child = pushed.repository() + "@" + entry.path("digest").asText();
            JsonNode childInspect = regctlJson("inspect", "-o", "json", source.host() + "/" + child);
            assertImageAsServed(pushed.repository(), skopeo.inspectRaw(source.docker(child)), platform,
                    pushed.imageMediaType(), childInspect);
        }
        assertEquals(List.of("linux/amd64", "linux/arm64"), platforms, inspect::toPrettyString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everything")
    void copyToAnotherRegistryServesTheSameBytes(Pushed pushed) {
        String destination = "copied/" + pushed.reference().replace('/', '-');

        regctlOk("copy", source.host() + "/" + pushed.reference(), target.host() + "/" + destination);

        assertArrayEquals(served.get(pushed), skopeo.inspectRaw(target.docker(destination)),
                "the target must serve the manifest byte for byte as the source does");
        assertEveryBlobPullable(target.docker(destination));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everything")
    void copyIntoALayoutAndBackKeepsEveryDigest(Pushed pushed) {
        Path layout = work.resolve("layout-" + pushed.reference().replaceAll("[/:]", "-"));
        String digest = sha256(served.get(pushed));

        regctlOk("copy", source.host() + "/" + pushed.reference(), "oci:" + layout + ":v1");

        JsonNode entry = taggedEntry(layout, "v1");
        assertEquals(digest, entry.path("digest").asText(), entry::toPrettyString);
        assertEquals(pushed.mediaType(), entry.path("mediaType").asText(), entry::toPrettyString);
        assertEquals(served.get(pushed).length, entry.path("size").asLong(), entry::toPrettyString);
        assertArrayEquals(served.get(pushed), layoutBlob(layout, digest), "the layout must hold the manifest as served");
        assertLayoutHoldsVerifiedBlobs(layout, digest);
        if (pushed.mediaType().startsWith("application/vnd.oci.")) {
            // skopeo's oci: transport passes over index.json entries of docker media types when it
            // looks for a tag, so it can be the independent reader only for the OCI format.
            assertArrayEquals(served.get(pushed), skopeo.inspectRaw("oci:" + layout + ":v1"),
                    "skopeo must read the very manifest from the layout");
        }

        String back = "roundtrip/" + pushed.reference().replace('/', '-');
        regctlOk("copy", "oci:" + layout + ":v1", target.host() + "/" + back);

        assertArrayEquals(served.get(pushed), skopeo.inspectRaw(target.docker(back)),
                "the manifest must come back from the layout byte for byte");
        assertEveryBlobPullable(target.docker(back));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everything")
    void digestAndInspectReadTheLayoutRegctlWrote(Pushed pushed) {
        Path layout = work.resolve("readable-" + pushed.reference().replaceAll("[/:]", "-"));
        regctlOk("copy", source.host() + "/" + pushed.reference(), "oci:" + layout + ":v1");

        Launcher.Result digest = regctlOk("digest", "oci:" + layout + ":v1");
        JsonNode inspect = regctlJson("inspect", "-o", "json", "oci:" + layout + ":v1");

        assertEquals(List.of(sha256(served.get(pushed))), digest.stdoutLines(), digest::toString);
        assertEquals(sha256(served.get(pushed)), inspect.path("digest").asText(), inspect::toPrettyString);
        assertEquals(pushed.mediaType(), inspect.path("mediaType").asText(), inspect::toPrettyString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void aLayoutHoldingOneImageIsReadByOtherToolsWithoutATag(Pushed pushed) throws IOException {
        Path layout = work.resolve("untagged-read-" + pushed.reference().replaceAll("[/:]", "-"));

        regctlOk("copy", source.host() + "/" + pushed.reference(), "oci:" + layout + ":v1");

        assertEquals(1, json(Files.readAllBytes(layout.resolve("index.json"))).path("manifests").size());
        assertArrayEquals(served.get(pushed), skopeo.inspectRaw("oci:" + layout));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void aListCopiedIntoALayoutIsOneEntryThatOtherToolsReadWithoutATag(Pushed pushed) throws IOException {
        Path layout = work.resolve("one-entry-" + pushed.reference().replaceAll("[/:]", "-"));

        regctlOk("copy", source.host() + "/" + pushed.reference(), "oci:" + layout + ":v1");

        JsonNode index = json(Files.readAllBytes(layout.resolve("index.json")));
        assertEquals(1, index.path("manifests").size(), index::toPrettyString);
        assertEquals(sha256(served.get(pushed)), index.path("manifests").get(0).path("digest").asText());
        assertArrayEquals(served.get(pushed), skopeo.inspectRaw("oci:" + layout));
    }

    @Test
    void tagsLongShowsEachFormatWithItsDigestPlatformsSizeAndCreation() {
        for (String repository : List.of(IMAGE_V2S2.repository(), LIST_V2S2.repository())) {
            List<Pushed> pushes = everything().filter(p -> p.repository().equals(repository)).toList();

            Launcher.Result tags = regctlOk("tags", source.host() + "/" + repository);
            JsonNode rows = regctlJson("tags", "--long", "-o", "json", source.host() + "/" + repository);

            assertEquals(pushes.stream().map(Pushed::tag).sorted().toList(), tags.stdoutLines().stream().sorted().toList(),
                    tags::toString);
            assertEquals(pushes.size(), rows.size(), rows::toPrettyString);
            for (Pushed pushed : pushes) {
                JsonNode row = rowFor(rows, pushed.tag());
                assertEquals(sha256(served.get(pushed)), row.path("digest").asText(), row::toPrettyString);
                assertEquals(pushed.mediaType(), row.path("mediaType").asText(), row::toPrettyString);
                if (pushed.isList()) {
                    assertEquals(List.of("linux/amd64", "linux/arm64"), texts(row.path("platforms")), row::toPrettyString);
                    assertTrue(row.path("size").isNull() && row.path("created").isNull(),
                            () -> "an index has no size or creation time of its own: " + row.toPrettyString());
                } else {
                    JsonNode manifest = json(served.get(pushed));
                    long pullSize = manifest.path("config").path("size").asLong();
                    for (JsonNode layer : manifest.path("layers")) {
                        pullSize += layer.path("size").asLong();
                    }
                    String created = skopeo.inspectConfig(source.docker(pushed.reference())).path("created").asText();
                    assertEquals(List.of(IMAGE_PLATFORM), texts(row.path("platforms")), row::toPrettyString);
                    assertEquals(pullSize, row.path("size").asLong(), () -> "config plus layers: " + row.toPrettyString());
                    assertEquals(created, row.path("created").asText(), row::toPrettyString);
                }
            }
        }
    }

    /**
     * zstd layers (buildah's {@code --compression-format zstd}) through a docker archive: stored
     * compressed as they came, and read back as the OCI image they were, since docker's format
     * has no zstd type and skopeo refuses a schema 2 manifest that names one.
     */
    @Test
    void aZstdImageComesBackOutOfADockerArchiveAsTheOciImageItWas() {
        JsonNode pushed = json(served.get(IMAGE_ZSTD));
        assertEquals(ZSTD_LAYER, pushed.path("layers").get(0).path("mediaType").asText(), "buildah's manifest: " + pushed);
        Path archive = work.resolve("zstd.tar");

        regctlOk("copy", source.host() + "/" + IMAGE_ZSTD.reference(), "docker-archive:" + archive + ":app:zstd");
        regctlOk("copy", "docker-archive:" + archive + ":app:zstd", target.host() + "/zstd/back:1");

        JsonNode back = json(skopeo.inspectRaw(target.docker("zstd/back:1")));
        assertEquals(OCI_MANIFEST, back.path("mediaType").asText(), back::toPrettyString);
        assertEquals(pushed.path("config"), back.path("config"), back::toPrettyString);
        assertEquals(pushed.path("layers"), back.path("layers"), "the layers buildah pushed, digests and all: " + back);
        assertEveryBlobPullable(target.docker("zstd/back:1"));
    }

    /**
     * What regctl's {@code inspect -o json} shows for an image must be what the served manifest and
     * config say: platform, config descriptor, every layer in order, and the creation time.
     */
    private static void assertImageAsServed(String repository, byte[] manifestBytes, String platform,
                                            String mediaType, JsonNode inspect) {
        JsonNode manifest = json(manifestBytes);
        String shown = inspect.toPrettyString();
        assertEquals(mediaType, manifest.path("mediaType").asText(), "buildah's manifest: " + manifest);
        assertEquals(mediaType, inspect.path("mediaType").asText(), shown);
        assertEquals(platform, inspect.path("platform").asText(), shown);
        for (String field : List.of("digest", "mediaType", "size")) {
            assertEquals(manifest.path("config").path(field), inspect.path("config").path(field), shown);
        }
        List<JsonNode> layers = new ArrayList<>();
        long layersSize = 0;
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(JSON.createObjectNode().put("digest", layer.path("digest").asText())
                    .put("mediaType", layer.path("mediaType").asText()).put("size", layer.path("size").asLong()));
            layersSize += layer.path("size").asLong();
        }
        assertEquals(LAYERS_PER_PLATFORM.get(platform), layers.size(), "buildah's manifest: " + manifest);
        List<JsonNode> shownLayers = new ArrayList<>();
        inspect.path("layers").forEach(l -> shownLayers.add(JSON.createObjectNode().put("digest", l.path("digest").asText())
                .put("mediaType", l.path("mediaType").asText()).put("size", l.path("size").asLong())));
        assertEquals(layers, shownLayers, shown);
        assertEquals(layersSize, inspect.path("layersSize").asLong(), shown);
        String config = source.docker(repository + "@" + sha256(manifestBytes));
        assertEquals(skopeo.inspectConfig(config).path("created").asText(), inspect.path("created").asText(), shown);
    }

    /** skopeo pulls the image or list with every child and blob, checking each digest as it goes. */
    private static void assertEveryBlobPullable(String reference) {
        Path pulled = work.resolve("pulled-" + System.nanoTime());
        skopeo.copy(reference, "dir:" + pulled, "--all", "--preserve-digests");
    }

    /** Every manifest, config and layer reachable from {@code digest} is a blob of the layout with that hash. */
    private static void assertLayoutHoldsVerifiedBlobs(Path layout, String digest) {
        byte[] bytes = layoutBlob(layout, digest);
        JsonNode manifest = json(bytes);
        for (JsonNode child : manifest.path("manifests")) {
            assertLayoutHoldsVerifiedBlobs(layout, child.path("digest").asText());
        }
        if (manifest.has("config")) {
            layoutBlob(layout, manifest.path("config").path("digest").asText());
        }
        for (JsonNode layer : manifest.path("layers")) {
            layoutBlob(layout, layer.path("digest").asText());
        }
    }

    /** The layout's {@code index.json} entry named {@code tag}; exactly one must exist. */
    private static JsonNode taggedEntry(Path layout, String tag) {
        JsonNode index;
        try {
            index = json(Files.readAllBytes(layout.resolve("index.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> tagged = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            if (tag.equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                tagged.add(entry);
            }
        }
        assertEquals(1, tagged.size(), () -> "one entry tagged " + tag + " in " + index.toPrettyString());
        return tagged.get(0);
    }

    private static byte[] layoutBlob(Path layout, String digest) {
        Path blob = layout.resolve("blobs").resolve(digest.replace(':', '/'));
        assertTrue(Files.isRegularFile(blob), () -> "the layout lacks blob " + digest);
        try {
            byte[] bytes = Files.readAllBytes(blob);
            assertEquals(digest, sha256(bytes), "blob " + blob + " does not hash to its name");
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Launcher.Result regctlOk(String... args) {
        Launcher.Result result = regctl.run(args);
        assertEquals(0, result.exitCode(), result::toString);
        return result;
    }

    private static JsonNode regctlJson(String... args) {
        return json(regctlOk(args).stdout());
    }

    private static JsonNode rowFor(JsonNode rows, String tag) {
        for (JsonNode row : rows) {
            if (tag.equals(row.path("tag").asText())) {
                return row;
            }
        }
        throw new AssertionError("no row for tag " + tag + " in " + rows.toPrettyString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    /** One file per layer, its content naming the platform so every platform's layers differ. */
    private static Map<String, byte[]> layerFiles(String platform) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 1; i <= LAYERS_PER_PLATFORM.get(platform); i++) {
            files.put("layer-" + i + ".txt", ("built by buildah for " + platform + ", layer " + i + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    private static String local(String tag) {
        return "localhost/regctl-it:" + tag;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
