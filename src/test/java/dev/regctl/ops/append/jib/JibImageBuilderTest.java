package dev.regctl.ops.append.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Session;
import dev.regctl.ops.append.AddedPath;
import dev.regctl.ops.append.BaseImages;
import dev.regctl.ops.append.Changes;
import dev.regctl.ops.append.ConfigEdits;
import dev.regctl.ops.append.SourceFiles;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config mutation and the layers Jib builds, on a layout base, without a registry. */
class JibImageBuilderTest {
    @TempDir
    Path dir;

    private int builds;

    private RawManifest build(OciLayoutStore layout, RawManifest base, Changes changes) throws IOException {
        try (Session session = new Session(new Session.Options(dir.resolve("docker"), false, null, Map.of()), List.of())) {
            return new JibImageBuilder().build(session, layout, base, changes,
                    Files.createDirectories(dir.resolve("scratch-" + builds++)));
        }
    }

    private static JsonNode config(OciLayoutStore layout, RawManifest image) throws IOException {
        try (InputStream in = layout.openBlob(image.manifest().config())) {
            return Json.mapper().readTree(in);
        }
    }

    @Test
    void configEditsReplaceOrAddToTheBasesAndANewEntrypointDropsItsCmd() throws IOException {
        OciLayoutStore layout = OciLayoutStore.create(dir.resolve("layout"));
        RawManifest base = BaseImages.image(layout, "base", "linux/arm64");
        ConfigEdits edits = new ConfigEdits(List.of("/app", "serve"), null, Map.of("MODE", "app", "EXTRA", "1"),
                Map.of("team", "images"), "65532:65532", "/srv", List.of("8080/tcp", "53/udp"),
                Instant.parse("2024-05-01T00:00:00Z"));
        RawManifest image = build(layout, base, new Changes(List.of(), Changes.ROOT, edits));

        JsonNode config = config(layout, image);
        JsonNode run = config.path("config");
        assertEquals("[\"/app\",\"serve\"]", run.path("Entrypoint").toString());
        assertTrue(run.path("Cmd").isMissingNode() || run.path("Cmd").isNull(), run::toString);
        List<String> env = new ArrayList<>();
        run.path("Env").forEach(e -> env.add(e.asText()));
        assertEquals(List.of("EXTRA=1", "MODE=app", "PATH=/usr/bin:/bin"), env.stream().sorted().toList(),
                "the base's PATH kept, its MODE replaced, EXTRA added");
        assertEquals("yes", run.path("Labels").path("base").asText(), "the base's labels stay");
        assertEquals("images", run.path("Labels").path("team").asText());
        assertEquals("65532:65532", run.path("User").asText());
        assertEquals("/srv", run.path("WorkingDir").asText());
        assertTrue(run.path("ExposedPorts").has("22/tcp") && run.path("ExposedPorts").has("8080/tcp")
                && run.path("ExposedPorts").has("53/udp"), run::toString);
        assertEquals("2024-05-01T00:00:00Z", config.path("created").asText());
        assertEquals("arm64", config.path("architecture").asText());
        assertEquals(base.manifest().layers(), image.manifest().layers(), "no --add: the base's layers, same digests");
    }

    @Test
    void everyFieldOfTheBasesConfigTheUserDidNotChangeSurvivesAndEnvKeepsItsOrder() throws IOException {
        OciLayoutStore layout = OciLayoutStore.create(dir.resolve("layout"));
        RawManifest base = BaseImages.everyField(layout, "base");
        Path lone = Files.writeString(dir.resolve("lone.txt"), "lone");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NJS_VERSION", "0.9.0");
        env.put("EXTRA", "1");
        ConfigEdits edits = new ConfigEdits(null, null, env, Map.of("team", "images"), null, null, List.of(), null);
        RawManifest image = build(layout, base, new Changes(List.of(SourceFiles.read(AddedPath.parse(lone.toString()))),
                Changes.ROOT, edits));

        JsonNode before = config(layout, base);
        JsonNode after = config(layout, image);
        List<String> changed = List.of("created", "config", "rootfs", "history");
        assertEquals(fieldNames(before), fieldNames(after), "every field, in its place");
        before.fields().forEachRemaining(f -> {
            if (!changed.contains(f.getKey())) {
                assertEquals(f.getValue(), after.get(f.getKey()), f.getKey());
            }
        });
        JsonNode run = after.path("config");
        assertEquals(fieldNames(before.path("config")), fieldNames(run));
        before.path("config").fields().forEachRemaining(f -> {
            if (!List.of("Env", "Labels").contains(f.getKey())) {
                assertEquals(f.getValue(), run.get(f.getKey()), f.getKey());
            }
        });
        assertEquals("[\"PATH=/usr/bin:/bin\",\"NGINX_VERSION=1.25.4\",\"NJS_VERSION=0.9.0\",\"EXTRA=1\"]",
                run.path("Env").toString(), "replaced in place, added after, the base's order kept");
        assertEquals("{\"maintainer\":\"NGINX\",\"team\":\"images\"}", run.path("Labels").toString());
        assertEquals(before.path("history").get(0), after.path("history").get(0), "the base's history, unknown keys and all");
        assertEquals(2, after.path("history").size());
        assertEquals(before.path("rootfs").path("diff_ids").get(0), after.path("rootfs").path("diff_ids").get(0));
        assertEquals(2, after.path("rootfs").path("diff_ids").size());
        assertEquals("1970-01-01T00:00:00Z", after.path("created").asText());
        assertEquals(image.manifest().config().size(), layout.openBlob(image.manifest().config()).readAllBytes().length);
    }

    @Test
    void gnuTarListsTheAddedLayerWithoutAWarningAndItsDiffIdIsWhatTheConfigSays() throws Exception {
        OciLayoutStore layout = OciLayoutStore.create(dir.resolve("layout"));
        RawManifest base = BaseImages.image(layout, "base", "linux/amd64");
        Path app = Files.createDirectories(dir.resolve("src/app/" + "deep/".repeat(30)));
        Files.writeString(app.resolve("main.txt"), "main");
        RawManifest image = build(layout, base, new Changes(List.of(SourceFiles.read(AddedPath.parse(dir.resolve("src/app")
                + ":/opt/app"))), Changes.ROOT, ConfigEdits.none()));

        Path layer = dir.resolve("layer.tar.gz");
        try (InputStream in = layout.openBlob(image.manifest().layers().get(1))) {
            Files.copy(in, layer);
        }
        Process tar = new ProcessBuilder("tar", "-tvzf", layer.toString()).redirectErrorStream(false).start();
        String listing = new String(tar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String warnings = new String(tar.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), warnings);
        assertEquals("", warnings, "GNU tar knows every header: no LIBARCHIVE.creationtime");
        assertTrue(listing.contains("opt/app/" + "deep/".repeat(30) + "main.txt"), "a long name, as a PAX path: " + listing);

        byte[] uncompressed;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
            uncompressed = in.readAllBytes();
        }
        JsonNode diffIds = config(layout, image).path("rootfs").path("diff_ids");
        assertEquals(Digest.sha256(uncompressed).toString(), diffIds.get(diffIds.size() - 1).asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void eachAddIsOneLayerAfterTheBasesAndTheSameInputsGiveTheSameDigest() throws IOException {
        OciLayoutStore layout = OciLayoutStore.create(dir.resolve("layout"));
        RawManifest base = BaseImages.image(layout, "base", "linux/amd64");
        Path app = Files.createDirectories(dir.resolve("src/app"));
        Files.writeString(app.resolve("main.txt"), "main");
        Path lone = Files.writeString(dir.resolve("src/lone.txt"), "lone");
        Changes changes = new Changes(List.of(SourceFiles.read(AddedPath.parse(app + ":/opt/app")),
                SourceFiles.read(AddedPath.parse(lone.toString()))), "1000:1000", ConfigEdits.none());

        RawManifest first = build(layout, base, changes);
        Manifest m = first.manifest();
        assertEquals(3, m.layers().size());
        assertEquals(base.manifest().layers().get(0), m.layers().get(0));
        JsonNode history = config(layout, first).path("history");
        assertEquals("/opt/app", history.get(history.size() - 2).path("comment").asText());
        assertEquals("regctl:append", history.get(history.size() - 1).path("created_by").asText());
        assertEquals(3, history.size(), history::toString);
        assertEquals("base layer", history.get(0).path("created_by").asText(), "the base's history as it was");
        assertTrue(history.get(0).path("author").isMissingNode(), history::toString);
        for (int i = 1; i < 3; i++) {
            assertEquals("regctl", history.get(i).path("author").asText(), "not Jib, which the user never ran: " + history);
        }
        assertEquals(m.config().size(), layout.openBlob(m.config()).readAllBytes().length, "the manifest names the config stored");
        assertEquals("1970-01-01T00:00:00Z", config(layout, first).path("created").asText());

        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(layout.openBlob(m.layers().get(1))))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                // The parents of DEST that Jib adds are root's, 0755, as docker's COPY --chown makes them.
                long owner = e.getName().startsWith("opt/app") ? 1000 : 0;
                assertEquals(owner, e.getLongUserId(), e.getName());
                assertEquals(owner, e.getLongGroupId(), e.getName());
                assertEquals(Instant.ofEpochSecond(1), e.getLastModifiedTime().toInstant(), e.getName());
                assertEquals("", e.getUserName(), "no user names: they would say which machine built it");
            }
        }

        assertEquals(first.digest(), build(layout, base, changes).digest());

        Path rootfs = Files.createDirectories(dir.resolve("src/rootfs/etc"));
        Files.writeString(rootfs.resolve("motd"), "hello");
        RawManifest onRoot = build(layout, base, new Changes(List.of(SourceFiles.read(AddedPath.parse(rootfs.getParent() + ":/"))),
                Changes.ROOT, ConfigEdits.none()));
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                layout.openBlob(onRoot.manifest().layers().get(1))))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertEquals(List.of("etc/", "etc/motd"), names, "a directory's contents at /, and no entry without a name");
        Changes otherOwner = new Changes(changes.layers(), Changes.ROOT, ConfigEdits.none());
        assertNotEquals(first.digest(), build(layout, base, otherOwner).digest(), "the owner is in the layer");
    }

    /**
     * Jib builds on an empty base and the base's layers are put back in front: the digests are
     * those regctl made when Jib read the whole base from a tarball, for an OCI base and for a
     * docker one (whose layers Jib always listed with the OCI type, keeping their bytes).
     */
    @Test
    void theDigestsAreThoseJibMadeFromTheWholeBaseForAnOciAndADockerBase() throws IOException {
        OciLayoutStore layout = OciLayoutStore.create(dir.resolve("layout"));
        RawManifest oci = BaseImages.image(layout, "base", "linux/arm64");
        Descriptor layer = oci.manifest().layers().get(0);
        Descriptor ociConfig = oci.manifest().config();
        RawManifest docker = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG + "\",\"size\":" + ociConfig.size()
                + ",\"digest\":\"" + ociConfig.digest() + "\"},\"layers\":[{\"mediaType\":\"" + MediaTypes.DOCKER_LAYER_GZIP
                + "\",\"size\":" + layer.size() + ",\"digest\":\"" + layer.digest() + "\"}]}").getBytes(StandardCharsets.UTF_8),
                MediaTypes.DOCKER_MANIFEST);
        layout.putManifest(docker, "docker");
        Path lone = Files.writeString(dir.resolve("lone.txt"), "lone");
        Files.setPosixFilePermissions(lone, PosixFilePermissions.fromString("rw-r--r--"));
        Changes add = new Changes(List.of(SourceFiles.read(AddedPath.parse(lone + ":/x/lone.txt"))), Changes.ROOT,
                ConfigEdits.none());
        Changes env = new Changes(List.of(), Changes.ROOT,
                new ConfigEdits(null, null, Map.of("A", "b"), Map.of(), null, null, List.of(), null));

        for (RawManifest base : List.of(oci, docker)) {
            RawManifest added = build(layout, base, add);
            assertEquals("sha256:d162bc25ee56155eb755c2990d09ea8cf2971806788c098dbc4d61ddc9a341fa", added.digest().toString(),
                    () -> new String(added.bytes(), StandardCharsets.UTF_8));
            assertEquals(new Descriptor(MediaTypes.OCI_LAYER_GZIP, layer.digest(), layer.size()),
                    added.manifest().layers().get(0), "the base's layer, its bytes and digest kept");
            RawManifest edited = build(layout, base, env);
            assertEquals("sha256:2b7a1c409265809d3196e50de81bf92e2213f444f83831761c25b0f3681910c7", edited.digest().toString(),
                    () -> new String(edited.bytes(), StandardCharsets.UTF_8));
        }
    }
}
