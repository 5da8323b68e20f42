package dev.regctl.it;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regctl index create|add|remove} against real distribution registries, with images
 * buildah built for two architectures; skopeo and buildah read the results independently. Each
 * test writes only to repositories of its own.
 */
class IndexIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    @TempDir
    static Path work;

    /** The sources and every index made; holds the single-platform images as two CI jobs would push them. */
    @AutoClose
    static RegistryServer registry;
    /** Another registry, for sources from elsewhere. */
    @AutoClose
    static RegistryServer other;
    @AutoClose
    static Launcher regctl;

    private static final Skopeo skopeo = Skopeo.anonymous();
    private static Buildah buildah;
    private static String amd64;
    private static String arm64;
    private static Path layout;

    @BeforeAll
    static void buildAndPush() {
        registry = RegistryServer.open().start();
        other = RegistryServer.open().start();
        regctl = Launcher.create();
        buildah = Buildah.create();
        for (String arch : List.of("amd64", "arm64")) {
            buildah.scratchImage("localhost/app:" + arch, "linux", arch,
                    Map.of("arch.txt", ("built for " + arch + "\n").getBytes(StandardCharsets.UTF_8)));
            buildah.push("localhost/app:" + arch, registry.docker("ci/app-" + arch + ":1"), "oci");
        }
        buildah.push("localhost/app:arm64", other.docker("far/app-arm64:1"), "oci");
        buildah.manifestCreate("localhost/list");
        buildah.manifestAdd("localhost/list", "localhost/app:amd64");
        buildah.manifestAdd("localhost/list", "localhost/app:arm64");
        buildah.manifestPush("localhost/list", other.docker("far/list:1"), "oci");
        amd64 = sha256(skopeo.inspectRaw(registry.docker("ci/app-amd64:1")));
        arm64 = sha256(skopeo.inspectRaw(registry.docker("ci/app-arm64:1")));
        layout = work.resolve("layout");
        skopeo.copy(registry.docker("ci/app-amd64:1"), "oci:" + layout + ":amd64");
    }

    @org.junit.jupiter.api.AfterAll
    static void removeBuildah() {
        buildah.close();
    }

    @Test
    void createListsEachImageWithItsPlatformAndEverythingIsInTheTargetRepository() {
        // The global option before the command's name, as CI scripts write it.
        JsonNode result = regctlJson("-o", "json", "index", "create", registry.host() + "/app:1.0",
                registry.host() + "/ci/app-amd64:1", registry.host() + "/ci/app-arm64:1");

        byte[] served = skopeo.inspectRaw(registry.docker("app:1.0"));
        JsonNode index = json(served);
        assertEquals(OCI_INDEX, index.path("mediaType").asText(), index::toPrettyString);
        assertEquals(List.of(amd64 + " linux/amd64", arm64 + " linux/arm64"), children(index), index::toPrettyString);
        assertEquals(sha256(served), result.path("digest").asText(), result::toPrettyString);
        assertEquals(List.of("linux/amd64", "linux/arm64"), texts(result.path("children"), "platform"), result::toPrettyString);
        // Every child manifest and blob is in app's repository: skopeo pulls them all from there.
        skopeo.copy(registry.docker("app:1.0"), "oci:" + work.resolve("pulled-create") + ":1.0", "--all", "--preserve-digests");
        // buildah reads the index into a list of its own, then shows what it read.
        buildah.run("manifest", "create", "--all", "--tls-verify=false", "localhost/read-back", registry.docker("app:1.0"));
        String inspected = buildah.run("manifest", "inspect", "localhost/read-back");
        assertEquals(children(index), children(json(inspected.getBytes(StandardCharsets.UTF_8))), inspected);
    }

    @Test
    void sourcesFromAnotherRegistryAndALayoutAreCopiedIn() {
        regctlOk("index", "create", registry.host() + "/mixed:1", other.host() + "/far/app-arm64:1", "oci:" + layout + ":amd64");

        JsonNode index = json(skopeo.inspectRaw(registry.docker("mixed:1")));
        assertEquals(List.of(arm64 + " linux/arm64", amd64 + " linux/amd64"), children(index), index::toPrettyString);
        skopeo.copy(registry.docker("mixed:1"), "oci:" + work.resolve("pulled-mixed") + ":1", "--all", "--preserve-digests");
    }

    @Test
    void anIndexSourceGivesTheImagesPlatformPicks() {
        regctlOk("index", "create", "--platform", "linux/arm64", registry.host() + "/picked:1", other.host() + "/far/list:1");

        JsonNode index = json(skopeo.inspectRaw(registry.docker("picked:1")));
        JsonNode list = json(skopeo.inspectRaw(other.docker("far/list:1")));
        assertEquals(children(list).subList(1, 2), children(index), index::toPrettyString);
        assertTrue(children(index).get(0).endsWith("linux/arm64"), index::toPrettyString);
        skopeo.copy(registry.docker("picked:1"), "oci:" + work.resolve("pulled-picked") + ":1", "--all", "--preserve-digests");
    }

    @Test
    void intoALayout() {
        Path into = work.resolve("index-layout");

        regctlOk("index", "create", "oci:" + into + ":1", registry.host() + "/ci/app-amd64:1", registry.host() + "/ci/app-arm64:1");

        skopeo.copy("oci:" + into + ":1", "oci:" + work.resolve("pulled-layout") + ":1", "--all", "--preserve-digests");
        JsonNode index = json(skopeo.inspectRaw("oci:" + into + ":1"));
        assertEquals(List.of(amd64 + " linux/amd64", arm64 + " linux/arm64"), children(index), index::toPrettyString);
    }

    @Test
    void addReplacesTheSamePlatformAndRemoveDropsOneKeepingAnnotations() {
        String target = registry.host() + "/edited:1";
        regctlOk("index", "create", "--annotation", "org.opencontainers.image.version=1", target,
                registry.host() + "/ci/app-amd64:1");

        String added = regctlOk("index", "add", target, registry.host() + "/ci/app-arm64:1").stdoutText().strip();

        byte[] served = skopeo.inspectRaw(registry.docker("edited:1"));
        JsonNode index = json(served);
        assertEquals(sha256(served), added);
        assertEquals(List.of(amd64 + " linux/amd64", arm64 + " linux/arm64"), children(index), index::toPrettyString);
        assertEquals("1", index.path("annotations").path("org.opencontainers.image.version").asText(), index::toPrettyString);

        regctlOk("index", "remove", target, "--platform", "linux/amd64");

        index = json(skopeo.inspectRaw(registry.docker("edited:1")));
        assertEquals(List.of(arm64 + " linux/arm64"), children(index), index::toPrettyString);
        assertEquals("1", index.path("annotations").path("org.opencontainers.image.version").asText(), index::toPrettyString);

        Launcher.Result absent = regctl.run("index", "remove", target, "--platform", "linux/s390x");
        assertEquals(3, absent.exitCode(), absent::toString);
        assertOneLineError(absent);

        Launcher.Result last = regctl.run("index", "remove", target, "--digest", arm64);
        assertEquals(2, last.exitCode(), last::toString);
        assertOneLineError(last);
        assertEquals(index, json(skopeo.inspectRaw(registry.docker("edited:1"))), "a refused remove pushes nothing");
    }

    @Test
    void aMissingSourceFailsBeforeAnythingIsTagged() {
        Launcher.Result result = regctl.run("index", "create", registry.host() + "/missing:1",
                registry.host() + "/ci/app-amd64:1", registry.host() + "/ci/nothing:1");

        assertEquals(3, result.exitCode(), result::toString);
        assertOneLineError(result);
        assertEquals(0, registry.countRequests("PUT", "/v2/missing/.*"), "nothing pushed into missing");
    }

    @Test
    void twoImagesOfOnePlatformAreRefused() {
        Launcher.Result result = regctl.run("index", "create", registry.host() + "/twice:1",
                registry.host() + "/ci/app-amd64:1", "oci:" + layout + ":amd64");

        assertEquals(2, result.exitCode(), result::toString);
        assertOneLineError(result);
        assertTrue(result.stderr().contains("linux/amd64"), result::toString);
        assertEquals(0, registry.countRequests("PUT", "/v2/twice/.*"), "nothing pushed into twice");
    }

    @Test
    void aDockerListCannotHoldAnOciImage() {
        Launcher.Result result = regctl.run("index", "create", "--format", "v2s2", registry.host() + "/docker-list:1",
                registry.host() + "/ci/app-amd64:1");

        assertEquals(2, result.exitCode(), result::toString);
        assertOneLineError(result);
        assertEquals(0, registry.countRequests("PUT", "/v2/docker-list/.*"), "nothing pushed into docker-list");
    }

    @Test
    void dryRunPushesNothingAndShowsTheDigestARunPushes() {
        String target = registry.host() + "/dry:1";
        List<String> sources = List.of(other.host() + "/far/app-arm64:1", registry.host() + "/ci/app-amd64:1");

        JsonNode planned = regctlJson(args("index", "create", "--dry-run", "-o", "json", target, sources));

        assertTrue(planned.path("dryRun").asBoolean(), planned::toPrettyString);
        assertEquals(0, registry.countRequests("PUT", "/v2/dry/.*"), "a dry run pushes nothing");
        assertEquals(0, registry.countRequests("POST", "/v2/dry/.*"), "a dry run uploads nothing");
        JsonNode done = regctlJson(args("index", "create", "-o", "json", target, sources));
        assertEquals(planned.path("digest"), done.path("digest"), done::toPrettyString);
    }

    private static String[] args(String a, String b, String c, String d, String target, List<String> sources) {
        List<String> all = new ArrayList<>(List.of(a, b, c, d, target));
        all.addAll(sources);
        return all.toArray(String[]::new);
    }

    private static String[] args(String a, String b, String c, String d, String e, String target, List<String> sources) {
        List<String> all = new ArrayList<>(List.of(a, b, c, d, e, target));
        all.addAll(sources);
        return all.toArray(String[]::new);
    }

    private static void assertOneLineError(Launcher.Result result) {
        List<String> lines = result.stderrLines().stream().filter(l -> !l.startsWith("hint:")).toList();
        assertEquals(1, lines.size(), result::toString);
        assertTrue(lines.get(0).startsWith("regctl: "), result::toString);
    }

    /** Each entry as {@code digest os/arch}. */
    private static List<String> children(JsonNode index) {
        List<String> children = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            children.add(entry.path("digest").asText() + " " + entry.path("platform").path("os").asText() + "/"
                    + entry.path("platform").path("architecture").asText());
        }
        return children;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.path(field).asText()));
        return texts;
    }

    private static Launcher.Result regctlOk(String... args) {
        Launcher.Result result = regctl.run(args);
        assertEquals(0, result.exitCode(), result::toString);
        return result;
    }

    private static JsonNode regctlJson(String... args) {
        return json(regctlOk(args).stdout());
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
