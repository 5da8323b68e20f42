package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The read path (ls, tags, inspect, digest) through the real launcher against distribution 2.8,
 * with skopeo as the independent reader every answer is compared with.
 */
class ReadPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
    private static final String APP = "images/app";

    @TempDir
    static Path work;

    /** Catalog pages of five, so fourteen repositories take three pages. */
    @AutoClose
    static RegistryServer registry;
    @AutoClose
    static Launcher regctl;

    private static final Skopeo skopeo = Skopeo.anonymous();
    private static List<String> repositories;
    private static List<String> catalogRepositories;
    /** Tag of images/app → what was pushed under it. */
    private static Map<String, LayoutImage> images;

    @BeforeAll
    static void seed() {
        registry = RegistryServer.open().catalogMaxEntries(5).start();
        regctl = Launcher.create();
        try (Seeder seeder = Seeder.of(registry)) {
            catalogRepositories = seeder.repositories("catalog/repo", 12);
            seeder.tags("many/tags", 3000);
        }
        Path oci = work.resolve("oci");
        Path docker = work.resolve("docker");
        Path dockerList = work.resolve("docker-list");
        images = Map.of(
                "oci", TestImages.singleImage(oci, "oci", 2, 4096, "linux/amd64", 11L),
                "docker", TestImages.singleImage(docker, "docker", 3, 2048, "linux/arm64/v8", 12L,
                        TestImages.Format.DOCKER),
                "multi", TestImages.multiPlatformIndex(oci, "multi", PLATFORMS),
                "dlist", TestImages.multiPlatformIndex(dockerList, "dlist", PLATFORMS, 13L, TestImages.Format.DOCKER));
        images.forEach((tag, image) -> TestImages.push(image.dir(), tag, registry, APP + ":" + tag));

        TreeSet<String> all = new TreeSet<>(catalogRepositories);
        all.add("many/tags");
        all.add(APP);
        repositories = List.copyOf(all);
    }

    @Test
    void lsFollowsEveryCatalogPage() throws IOException {
        Launcher.Result ls = ok(regctl.run("ls", registry.host()));
        assertEquals(repositories, ls.stdoutLines(), ls.toString());
        assertTrue(registry.countRequests("GET", "/v2/_catalog\\?last=.*") >= 2,
                "fourteen repositories in pages of five need the Link pages: " + registry.requests());

        Launcher.Result json = ok(regctl.run("ls", "-o", "json", registry.host()));
        assertEquals(repositories, strings(JSON.readTree(json.stdout())));
    }

    @Test
    void lsFiltersInFullAndStopsAtTheLimit() {
        assertEquals(catalogRepositories.subList(0, 5),
                ok(regctl.run("ls", registry.host(), "--filter", "catalog/repo-00[0-4]")).stdoutLines());
        assertEquals(List.of(), ok(regctl.run("ls", registry.host(), "--filter", "repo")).stdoutLines(),
                "the filter must match the whole name");
        assertEquals(repositories.subList(0, 7), ok(regctl.run("ls", registry.host(), "--limit", "7")).stdoutLines());
        // Six matches straddle the first page boundary.
        assertEquals(catalogRepositories.subList(0, 6),
                ok(regctl.run("ls", registry.host(), "--filter", "catalog/.*", "--limit", "6")).stdoutLines());
    }

    @Test
    void tagsOfThousandsEqualSkopeosListInOrder() throws IOException {
        List<String> expected = skopeo.listTags(registry.docker("many/tags"));
        assertEquals(3000, expected.size());

        Launcher.Result tags = ok(regctl.run("tags", registry.host() + "/many/tags"));
        assertEquals(expected, tags.stdoutLines());
        Launcher.Result json = ok(regctl.run("tags", "-o", "json", registry.host() + "/many/tags"));
        assertEquals(expected, strings(JSON.readTree(json.stdout())));
    }

    @Test
    void tagsFilterMatchesWholeTagsInTheRegistrysOrder() {
        // distribution lists tags in storage order, not sorted; regctl keeps whatever order it is given.
        List<String> expected = skopeo.listTags(registry.docker("many/tags")).stream()
                .filter(t -> t.matches("t0299[0-9]")).toList();
        assertEquals(10, expected.size());
        assertEquals(expected, ok(regctl.run("tags", registry.host() + "/many/tags", "--filter", "t0299[0-9]"))
                .stdoutLines());
        assertEquals(List.of(), ok(regctl.run("tags", registry.host() + "/many/tags", "--filter", "t0299"))
                .stdoutLines(), "the filter must match the whole tag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "docker", "multi", "dlist"})
    void digestAndRawAreTheBytesSkopeoReads(String tag) {
        byte[] raw = skopeo.inspectRaw(registry.docker(APP + ":" + tag));
        String digest = sha256(raw);
        assertEquals(images.get(tag).digest(), digest, "fixture sanity");

        Launcher.Result printed = ok(regctl.run("digest", registry.host() + "/" + APP + ":" + tag));
        assertEquals(digest + "\n", printed.stdoutText());

        Launcher.Result inspectRaw = ok(regctl.run("inspect", "--raw", registry.host() + "/" + APP + ":" + tag));
        assertArrayEquals(raw, inspectRaw.stdout(), inspectRaw::toString);

        if (tag.equals("multi")) {
            Launcher.Result byDigest = ok(regctl.run("inspect", "--raw", registry.host() + "/" + APP + "@" + digest));
            assertArrayEquals(raw, byDigest.stdout(), byDigest::toString);
        }
    }

    @Test
    void digestJsonNamesTheReference() throws IOException {
        String ref = registry.host() + "/" + APP + ":oci";
        JsonNode json = JSON.readTree(ok(regctl.run("digest", "-o", "json", ref)).stdout());
        assertEquals(ref, json.path("reference").asText());
        assertEquals(images.get("oci").digest(), json.path("digest").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi", "dlist"})
    void inspectJsonOfAnIndexListsEveryChild(String tag) throws IOException {
        LayoutImage index = images.get(tag);
        JsonNode json = JSON.readTree(ok(regctl.run("inspect", "-o", "json", registry.host() + "/" + APP + ":" + tag))
                .stdout());
        assertEquals(index.digest(), json.path("digest").asText());
        assertEquals(index.mediaType(), json.path("mediaType").asText());
        assertEquals(index.size(), json.path("size").asLong());
        List<String> platforms = new ArrayList<>();
        List<String> children = new ArrayList<>();
        for (JsonNode p : json.path("platforms")) {
            platforms.add(p.path("platform").asText());
            children.add(p.path("digest").asText());
        }
        assertEquals(PLATFORMS, platforms, json.toString());
        assertEquals(index.children(), children, json.toString());
        assertTrue(json.path("layers").isMissingNode() || json.path("layers").isEmpty(), json.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "docker"})
    void inspectJsonOfAnImageListsItsLayers(String tag) throws IOException {
        String ref = APP + ":" + tag;
        JsonNode manifest = JSON.readTree(skopeo.inspectRaw(registry.docker(ref)));
        JsonNode config = skopeo.inspectConfig(registry.docker(ref));

        JsonNode json = JSON.readTree(ok(regctl.run("inspect", "-o", "json", registry.host() + "/" + ref)).stdout());
        assertEquals(images.get(tag).digest(), json.path("digest").asText());
        assertEquals(images.get(tag).mediaType(), json.path("mediaType").asText());
        assertEquals(manifest.path("config").path("digest").asText(), json.path("config").path("digest").asText());
        String platform = config.path("os").asText() + "/" + config.path("architecture").asText()
                + (config.hasNonNull("variant") ? "/" + config.path("variant").asText() : "");
        assertEquals(platform, json.path("platform").asText());
        assertEquals(config.path("created").asText(), json.path("created").asText());
        assertEquals(manifest.path("layers").size(), json.path("layers").size());
        long total = 0;
        for (int i = 0; i < manifest.path("layers").size(); i++) {
            JsonNode expected = manifest.path("layers").get(i);
            JsonNode actual = json.path("layers").get(i);
            assertEquals(expected.path("digest").asText(), actual.path("digest").asText());
            assertEquals(expected.path("mediaType").asText(), actual.path("mediaType").asText());
            assertEquals(expected.path("size").asLong(), actual.path("size").asLong());
            total += expected.path("size").asLong();
        }
        assertEquals(total, json.path("layersSize").asLong());
    }

    @Test
    void inspectConfigPrintsTheConfigBlobAsSkopeoDoes() throws IOException {
        String childDigest = images.get("multi").children().get(1);
        for (String ref : List.of(APP + ":oci", APP + ":docker", APP + "@" + childDigest)) {
            byte[] expected = skopeo.inspectConfigRaw(registry.docker(ref));
            String configDigest = JSON.readTree(skopeo.inspectRaw(registry.docker(ref))).path("config").path("digest").asText();
            assertEquals(configDigest, sha256(expected), "fixture sanity: skopeo prints the blob itself");

            Launcher.Result config = ok(regctl.run("inspect", "--config", registry.host() + "/" + ref));
            assertArrayEquals(expected, config.stdout(), config::toString);
        }
    }

    @Test
    void tagsLongShowsWhatEachTagPointsTo() throws IOException {
        Launcher.Result text = ok(regctl.run("tags", "--long", registry.host() + "/" + APP));
        Launcher.Result json = ok(regctl.run("tags", "--long", "-o", "json", registry.host() + "/" + APP));
        List<String> tags = skopeo.listTags(registry.docker(APP));
        assertEquals(tags.size(), text.stdoutLines().size(), text.toString());
        JsonNode details = JSON.readTree(json.stdout());
        assertEquals(tags.size(), details.size(), details.toString());

        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            JsonNode manifest = JSON.readTree(skopeo.inspectRaw(registry.docker(APP + ":" + tag)));
            boolean index = manifest.has("manifests");
            String platforms;
            String size;
            String created;
            if (index) {
                platforms = String.join(",", PLATFORMS);
                size = "-";
                created = "-";
            } else {
                JsonNode config = skopeo.inspectConfig(registry.docker(APP + ":" + tag));
                platforms = config.path("os").asText() + "/" + config.path("architecture").asText()
                        + (config.hasNonNull("variant") ? "/" + config.path("variant").asText() : "");
                long bytes = manifest.path("config").path("size").asLong();
                for (JsonNode layer : manifest.path("layers")) {
                    bytes += layer.path("size").asLong();
                }
                size = String.valueOf(bytes);
                created = config.path("created").asText();
            }
            String digest = images.get(tag).digest().toString();
            assertEquals(String.join("\t", tag, digest, platforms, size, created), text.stdoutLines().get(i));

            JsonNode d = details.get(i);
            assertEquals(tag, d.path("tag").asText());
            assertEquals(digest, d.path("digest").asText());
            assertEquals(images.get(tag).mediaType(), d.path("mediaType").asText());
            assertEquals(List.of(platforms.split(",")), strings(d.path("platforms")));
            assertEquals(index, d.path("size").isNull(), d.toString());
            assertEquals(index, d.path("created").isNull(), d.toString());
            if (!index) {
                assertEquals(Long.parseLong(size), d.path("size").asLong());
                assertEquals(created, d.path("created").asText());
            }
        }
    }

    /** Asserts success with nothing but (optional) progress on stderr, and returns the run. */
    private static Launcher.Result ok(Launcher.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stderrLines().isEmpty(), () -> "a successful read prints nothing on stderr: " + r);
        return r;
    }

    private static List<String> strings(JsonNode array) {
        assertTrue(array.isArray(), () -> "expected a JSON array: " + array);
        return Stream.iterate(0, i -> i < array.size(), i -> i + 1).map(i -> array.get(i).asText()).toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
