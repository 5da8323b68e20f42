package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.AuthFile;
import dev.regctl.it.support.BuildKitImages;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import dev.regctl.it.support.TokenServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import okhttp3.tls.HeldCertificate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regctl append} through the real launcher (so through Jib core in its own class loader)
 * against real docker-registry instances: open, htpasswd, token auth and TLS trusted through
 * certs.d. skopeo reads every result back, and its layers are unpacked and compared with the
 * files that went in.
 */
class AppendIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE_PW = "alice-Append-5d1e";
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");

    @AutoClose
    static RegistryServer open;
    @AutoClose
    static RegistryServer basic;
    @AutoClose
    static TokenServer tokens;
    @AutoClose
    static RegistryServer secured;
    @AutoClose
    static RegistryServer tls;
    @AutoClose
    static AuthFile basicAuth;
    @AutoClose
    static AuthFile tokenAuth;

    @TempDir
    static Path work;
    private static LayoutImage single;
    private static LayoutImage index;
    private static LayoutImage buildKit;
    private static HeldCertificate ca;

    @BeforeAll
    static void startRegistries() throws IOException {
        single = TestImages.singleImage(work.resolve("base"), "v1", 2, 2048, "linux/amd64", 7);
        index = TestImages.multiPlatformIndex(work.resolve("base"), "multi", PLATFORMS);

        open = RegistryServer.open().start();
        TestImages.push(single.dir(), "v1", open, "base/app:v1");
        TestImages.push(index.dir(), "multi", open, "base/app:multi");
        buildKit = BuildKitImages.index(work.resolve("buildkit"), "v1", List.of("linux/amd64", "linux/arm/v7"));
        TestImages.push(buildKit.dir(), "v1", open, "base/buildkit:v1");

        basic = RegistryServer.htpasswd(Map.of("alice", ALICE_PW)).start();
        basicAuth = AuthFile.create().login(basic.host(), "alice", ALICE_PW);
        TestImages.push(single.dir(), "v1", basic, "private/app:v1", basicAuth.path());

        tokens = TokenServer.builder().user("alice", ALICE_PW).grant("alice", "*", "pull", "push").start();
        secured = RegistryServer.token(tokens).start();
        tokenAuth = AuthFile.create().login(secured.host(), "alice", ALICE_PW);
        TestImages.push(single.dir(), "v1", secured, "private/app:v1", tokenAuth.path());

        ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("regctl append test CA").build();
        HeldCertificate server = new HeldCertificate.Builder().commonName("127.0.0.1")
                .addSubjectAlternativeName("127.0.0.1").signedBy(ca).build();
        Path cert = Files.writeString(work.resolve("server.crt"), server.certificatePem() + ca.certificatePem());
        Path key = Files.writeString(work.resolve("server.key"), server.privateKeyPkcs8Pem());
        tls = RegistryServer.open().tls(cert, key).start();
        Skopeo.anonymous().copy("oci:" + single.dir() + ":v1", tls.docker("base/app:v1"), "--preserve-digests");
    }

    /** A directory with an executable, a private file and a subdirectory, and a lone file: the modes must survive. */
    private static Path files(Launcher regctl, String name) throws IOException {
        Path dir = regctl.scratch(name);
        Path app = dir.resolve("app");
        Path conf = Files.createDirectories(app.resolve("conf"));
        write(app.resolve("run.sh"), "#!/bin/sh\necho hi\n", "rwxr-x---");
        write(conf.resolve("secret.conf"), "key=value\n", "rw-------");
        write(conf.resolve("plain.txt"), "plain\n", "rw-r--r--");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-x---"));
        write(dir.resolve("notes.txt"), "a lone file\n", "rw-rw-r--");
        return dir;
    }

    private static void write(Path file, String content, String mode) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    private static String[] appendArgs(Path files, String base, String target, String... more) {
        List<String> args = new ArrayList<>(List.of("append", base, target,
                "--add", files.resolve("app") + ":/opt/app", "--add", files.resolve("notes.txt").toString(),
                "--env", "GREETING=hello world", "--label", "org.example.team=images",
                "--entrypoint", "[\"/opt/app/run.sh\"]"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void filesGoOntoASingleImageWithTheirModesAndTheConfigEdits() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Path files = files(regctl, "files");
            Launcher.Result r = regctl.run(appendArgs(files, open.host() + "/base/app:v1", open.host() + "/out/app:v1"));
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals(1, r.stdoutLines().size(), r::toString);
            String digest = r.stdoutLines().get(0);
            assertEquals("", r.stderr());

            byte[] raw = Skopeo.anonymous().inspectRaw(open.docker("out/app:v1"));
            assertEquals(digest, sha256(raw));
            JsonNode manifest = JSON.readTree(raw);
            JsonNode layers = manifest.path("layers");
            JsonNode baseManifest = JSON.readTree(Skopeo.anonymous().inspectRaw(open.docker("base/app:v1")));
            assertEquals(baseManifest.path("layers").size() + 2, layers.size(), manifest::toString);
            for (int i = 0; i < baseManifest.path("layers").size(); i++) {
                assertEquals(baseManifest.path("layers").get(i).path("digest"), layers.get(i).path("digest"),
                        "the base's layers are kept as they are");
                // On the same registry, the kept layers are mounted from the base's repository, not uploaded again.
                String inQuery = layers.get(i).path("digest").asText().replace(":", "(:|%3A)");
                assertEquals(1, open.countRequests("POST", "/v2/out/app/blobs/uploads/\\?mount=" + inQuery
                        + "&from=base(/|%2F)app"), r::toString);
                assertEquals(0, open.countRequests("PUT", "/v2/out/app/blobs/uploads/.*digest=" + inQuery + ".*"));
            }

            Path pulled = regctl.scratch("pulled");
            Skopeo.anonymous().copy(open.docker("out/app:v1"), "oci:" + pulled + ":out");
            Map<String, String> dirLayer = entries(pulled, layers.get(layers.size() - 2));
            assertEquals(Map.of(
                    "opt/", "755 0:0", "opt/app/", "750 0:0", "opt/app/conf/", "711 0:0",
                    "opt/app/conf/plain.txt", "644 0:0 plain\n", "opt/app/conf/secret.conf", "600 0:0 key=value\n",
                    "opt/app/run.sh", "750 0:0 #!/bin/sh\necho hi\n"), dirLayer);
            assertEquals(Map.of("notes.txt", "664 0:0 a lone file\n"), entries(pulled, layers.get(layers.size() - 1)));

            JsonNode config = Skopeo.anonymous().inspectConfig(open.docker("out/app:v1"));
            JsonNode run = config.path("config");
            assertEquals("[\"/opt/app/run.sh\"]", run.path("Entrypoint").toString());
            assertTrue(run.path("Cmd").isMissingNode() || run.path("Cmd").isNull(), "a new entrypoint drops the base's cmd: " + run);
            assertEquals("images", run.path("Labels").path("org.example.team").asText());
            List<String> env = new ArrayList<>();
            run.path("Env").forEach(e -> env.add(e.asText()));
            assertTrue(env.contains("GREETING=hello world"), env::toString);
            assertTrue(env.stream().anyMatch(e -> e.startsWith("PATH=")), "the base's env stays: " + env);
            assertEquals("1970-01-01T00:00:00Z", config.path("created").asText());
            JsonNode history = config.path("history");
            for (int i = history.size() - 2; i < history.size(); i++) {
                assertEquals("regctl", history.get(i).path("author").asText(), "the tool the user ran: " + history);
            }
            assertFalse(history.toString().contains("\"Jib\""), history::toString);
        }
    }

    @Test
    void theSameInputsGiveTheSameDigestFromOtherCopiesOfTheFiles() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Launcher.Result first = regctl.run(appendArgs(files(regctl, "first"), open.host() + "/base/app:v1",
                    open.host() + "/same/app:a"));
            assertEquals(0, first.exitCode(), first::toString);
            // Other paths, other timestamps, written later: what goes in the image must not see that.
            Launcher.Result second = regctl.run(appendArgs(files(regctl, "second"), open.host() + "/base/app:v1",
                    open.host() + "/same/app:b"));
            assertEquals(0, second.exitCode(), second::toString);
            assertEquals(first.stdoutLines(), second.stdoutLines());
        }
    }

    @Test
    void aTwoPlatformIndexGetsTheSameLayersOnEachPlatformAndItsIndexLast() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Path files = files(regctl, "files");
            Launcher.Result r = regctl.run(appendArgs(files, open.host() + "/base/app:multi", open.host() + "/multi/app:v1"));
            assertEquals(0, r.exitCode(), r::toString);
            String[] fields = r.stdoutLines().get(0).split(" ");
            assertEquals(3, fields.length, r::toString);
            byte[] raw = Skopeo.anonymous().inspectRaw(open.docker("multi/app:v1"));
            assertEquals(fields[0], sha256(raw));
            JsonNode built = JSON.readTree(raw);
            assertEquals("application/vnd.oci.image.index.v1+json", built.path("mediaType").asText());
            assertEquals(2, built.path("manifests").size(), built::toString);
            String addedLayer = null;
            for (int i = 0; i < 2; i++) {
                JsonNode entry = built.path("manifests").get(i);
                String platform = entry.path("platform").path("os").asText() + "/" + entry.path("platform").path("architecture").asText();
                assertEquals(PLATFORMS.get(i), platform);
                assertEquals(platform + "=" + entry.path("digest").asText(), fields[i + 1]);
                JsonNode child = JSON.readTree(Skopeo.anonymous().inspectRaw(open.docker("multi/app@" + entry.path("digest").asText())));
                JsonNode layers = child.path("layers");
                assertEquals(4, layers.size(), child::toString);
                String last = layers.get(2).path("digest").asText();
                if (addedLayer != null) {
                    assertEquals(addedLayer, last, "the same files give the same layer on every platform");
                }
                addedLayer = last;
                JsonNode config = Skopeo.anonymous().inspectConfig(open.docker("multi/app@" + entry.path("digest").asText()));
                assertEquals(PLATFORMS.get(i).split("/")[1], config.path("architecture").asText());
            }
            // The index went up after both images: the registry logs the manifest PUTs in order.
            List<RegistryServer.Request> puts = open.requests().stream()
                    .filter(q -> q.method().equals("PUT") && q.uri().startsWith("/v2/multi/app/manifests/")).toList();
            assertEquals("/v2/multi/app/manifests/v1", puts.get(puts.size() - 1).uri(), puts::toString);

            Launcher.Result one = regctl.run(appendArgs(files, open.host() + "/base/app:multi",
                    open.host() + "/multi/app:arm64", "--platform", "linux/arm64"));
            assertEquals(0, one.exitCode(), one::toString);
            assertEquals(fields[2].substring("linux/arm64=".length()), one.stdoutText().strip(),
                    "one platform of an index gives that platform's image alone");
        }
    }

    @Test
    void aBuildxBaseLosesItsAttestationsAndNoConfigFieldTheUserLeftAlone() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Path files = files(regctl, "files");
            Launcher.Result r = regctl.run("append", open.host() + "/base/buildkit:v1", open.host() + "/buildkit/app:v1",
                    "--add", files.resolve("notes.txt").toString(), "--env", "NGINX_VERSION=1.27.0", "--env", "EXTRA=1");
            assertEquals(0, r.exitCode(), r::toString);
            JsonNode built = JSON.readTree(Skopeo.anonymous().inspectRaw(open.docker("buildkit/app:v1")));
            JsonNode entries = built.path("manifests");
            assertEquals(2, entries.size(), "the attestations describe the base's images, not these: " + built);
            assertFalse(built.toString().contains("unknown") || built.toString().contains("attestation"), built::toString);
            assertEquals("v7", entries.get(1).path("platform").path("variant").asText(), built::toString);
            for (int i = 0; i < 2; i++) {
                JsonNode before = JSON.readTree(Skopeo.anonymous().inspectRaw(open.docker("base/buildkit@" + buildKit.children().get(i))));
                JsonNode baseConfig = Skopeo.anonymous().inspectConfig(open.docker("base/buildkit@" + buildKit.children().get(i)));
                String digest = entries.get(i).path("digest").asText();
                JsonNode config = Skopeo.anonymous().inspectConfig(open.docker("buildkit/app@" + digest));
                JsonNode child = JSON.readTree(Skopeo.anonymous().inspectRaw(open.docker("buildkit/app@" + digest)));
                assertEquals(before.path("layers").size() + 1, child.path("layers").size(), child::toString);
                baseConfig.fields().forEachRemaining(f -> {
                    if (!List.of("created", "rootfs", "history", "config").contains(f.getKey())) {
                        assertEquals(f.getValue(), config.get(f.getKey()), f.getKey() + " of the base's config");
                    }
                });
                baseConfig.path("config").fields().forEachRemaining(f -> {
                    if (!f.getKey().equals("Env")) {
                        assertEquals(f.getValue(), config.path("config").get(f.getKey()), "config." + f.getKey());
                    }
                });
                assertEquals("[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"NGINX_VERSION=1.27.0\","
                        + "\"NJS_VERSION=0.8.3\",\"EXTRA=1\"]", config.path("config").path("Env").toString());
            }
        }
    }

    /**
     * BASE's layers are not pulled into a scratch copy first: onto the same registry they are
     * mounted without one GET, and into a layout each is read once, streamed to where it stays.
     */
    @Test
    void baseLayersAreReadOnlyWhereTheyGoAndMountedWithoutAnyRead() throws IOException {
        TestImages.push(single.dir(), "v1", open, "base/reads:v1");
        JsonNode base = JSON.readTree(Skopeo.anonymous().inspectRaw(open.docker("base/reads:v1")));
        List<String> layers = new ArrayList<>();
        base.path("layers").forEach(l -> layers.add(l.path("digest").asText()));
        try (Launcher regctl = Launcher.create()) {
            Path files = files(regctl, "files");
            Launcher.Result mounted = regctl.run(appendArgs(files, open.host() + "/base/reads:v1", open.host() + "/reads/app:v1"));
            assertEquals(0, mounted.exitCode(), mounted::toString);
            for (String layer : layers) {
                assertEquals(0, open.countRequests("GET", "/v2/base/reads/blobs/" + layer), layer + " read, then mounted");
            }

            Path layout = regctl.scratch("layout");
            Launcher.Result copied = regctl.run(appendArgs(files, open.host() + "/base/reads:v1", "oci:" + layout + ":v1"));
            assertEquals(0, copied.exitCode(), copied::toString);
            for (String layer : layers) {
                assertEquals(1, open.countRequests("GET", "/v2/base/reads/blobs/" + layer), layer + " read once");
                assertEquals(layer, sha256(Files.readAllBytes(layout.resolve("blobs").resolve(layer.replace(':', '/')))));
            }
        }
    }

    @Test
    void withoutAddOnlyTheConfigChangesAndDryRunPushesNothing() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Launcher.Result dry = regctl.run("append", open.host() + "/base/app:v1", open.host() + "/mutate/app:v1",
                    "--label", "stage=dry", "--dry-run");
            assertEquals(0, dry.exitCode(), dry::toString);
            assertEquals(0, open.countRequests("PUT", "/v2/mutate/app/.*"), "a dry run pushes nothing");

            Launcher.Result r = regctl.run("append", open.host() + "/base/app:v1", open.host() + "/mutate/app:v1",
                    "--label", "stage=dry", "-o", "json");
            assertEquals(0, r.exitCode(), r::toString);
            JsonNode json = JSON.readTree(r.stdout());
            assertEquals(dry.stdoutText().split(" ")[0], json.path("digest").asText());
            assertEquals(0, json.path("layersAdded").asInt());
            JsonNode manifest = JSON.readTree(Skopeo.anonymous().inspectRaw(open.docker("mutate/app:v1")));
            assertEquals(2, manifest.path("layers").size());
            assertEquals("dry", Skopeo.anonymous().inspectConfig(open.docker("mutate/app:v1"))
                    .path("config").path("Labels").path("stage").asText());
        }
    }

    @Test
    void aBaseBehindHtpasswdIsReadAndWrittenWithTheResolversCredentials() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Launcher.Result r = regctl.call(appendArgs(files(regctl, "files"), basic.host() + "/private/app:v1",
                    basic.host() + "/private/out:v1", "-v")).env("REGISTRY_AUTH_FILE", basicAuth.path().toString()).run();
            assertEquals(0, r.exitCode(), r::toString);
            assertFalse(r.stderr().contains(ALICE_PW), "the -v trace masks the password");
            assertTrue(r.stderr().contains("Authorization"), "the -v trace is the project's own, requests and all");
            byte[] raw = Skopeo.withAuthFile(basicAuth.path()).inspectRaw(basic.docker("private/out:v1"));
            assertEquals(r.stdoutLines().get(0), sha256(raw));

            Launcher.Result anonymous = regctl.run(appendArgs(files(regctl, "again"), basic.host() + "/private/app:v1",
                    basic.host() + "/private/anon:v1"));
            assertEquals(4, anonymous.exitCode(), anonymous::toString);
            assertOneLine(anonymous);
        }
    }

    @Test
    void aBaseBehindTokenAuthIsReadAndWrittenWithTheResolversCredentials() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Launcher.Result r = regctl.call(appendArgs(files(regctl, "files"), secured.host() + "/private/app:v1",
                    secured.host() + "/private/out:v1")).env("REGISTRY_AUTH_FILE", tokenAuth.path().toString()).run();
            assertEquals(0, r.exitCode(), r::toString);
            byte[] raw = Skopeo.withAuthFile(tokenAuth.path()).inspectRaw(secured.docker("private/out:v1"));
            assertEquals(r.stdoutLines().get(0), sha256(raw));
        }
    }

    @Test
    void aTlsRegistryIsTrustedThroughCertsDOnly() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Path files = files(regctl, "files");
            String base = tls.host() + "/base/app:v1";
            String target = tls.host() + "/out/app:v1";
            Launcher.Result untrusted = regctl.run(appendArgs(files, base, target));
            assertEquals(1, untrusted.exitCode(), untrusted::toString);
            assertOneLine(untrusted);

            Path certsDir = Files.createDirectories(regctl.dockerConfig().resolve("certs.d").resolve(tls.host()));
            Files.writeString(certsDir.resolve("ca.crt"), ca.certificatePem());
            Launcher.Result r = regctl.run(appendArgs(files, base, target));
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals(r.stdoutLines().get(0), sha256(Skopeo.anonymous().inspectRaw(tls.docker("out/app:v1"))));
        }
    }

    @Test
    void badInputStopsWithOneLineTheDocumentedCodeAndNothingPushed() throws IOException {
        try (Launcher regctl = Launcher.create()) {
            Path files = files(regctl, "files");
            String base = open.host() + "/base/app:v1";
            String target = open.host() + "/refused/app:v1";

            Launcher.Result missing = regctl.run("append", base, target, "--add", files.resolve("nope") + ":/x");
            assertEquals(2, missing.exitCode(), missing::toString);
            assertOneLine(missing);
            assertTrue(missing.stderr().contains("no such file or directory"), missing::toString);

            Launcher.Result badEnv = regctl.run("append", base, target, "--env", "NOEQUALS");
            assertEquals(2, badEnv.exitCode(), badEnv::toString);
            assertOneLine(badEnv);
            assertTrue(badEnv.stderr().contains("--env"), badEnv::toString);

            Launcher.Result noBase = regctl.run(appendArgs(files, open.host() + "/base/app:nonexistent", target));
            assertEquals(3, noBase.exitCode(), noBase::toString);
            assertOneLine(noBase);
            assertTrue(noBase.stderr().contains("base/app:nonexistent"), noBase::toString);

            Launcher.Result nothing = regctl.run("append", base, target);
            assertEquals(2, nothing.exitCode(), nothing::toString);
            assertOneLine(nothing);
            assertTrue(nothing.stderr().contains("nothing to change"), nothing::toString);

            Launcher.Result atRoot = regctl.run("append", base, target, "--add", files.resolve("notes.txt") + ":/");
            assertEquals(2, atRoot.exitCode(), atRoot::toString);
            assertOneLine(atRoot);

            Files.createSymbolicLink(files.resolve("app/link"), Path.of("/etc/passwd"));
            Launcher.Result link = regctl.run(appendArgs(files, base, target));
            assertEquals(2, link.exitCode(), link::toString);
            assertOneLine(link);

            assertEquals(0, open.requests().stream().filter(q -> q.uri().startsWith("/v2/refused/")).count(),
                    "nothing was pushed, nor even asked of the target");
        }
    }

    /** One {@code regctl: } line, plus a hint line at most, and no stack trace. */
    private static void assertOneLine(Launcher.Result r) {
        List<String> lines = r.stderrLines();
        assertTrue(!lines.isEmpty() && lines.size() <= 2, r::toString);
        assertTrue(lines.get(0).startsWith("regctl: "), r::toString);
        assertFalse(r.stderr().contains("\tat "), r::toString);
        assertEquals("", r.stdoutText(), r::toString);
    }

    /** A layer's entries as {@code name -> "mode uid:gid [content]"}. */
    private static Map<String, String> entries(Path layout, JsonNode layer) throws IOException {
        Path blob = layout.resolve("blobs/sha256").resolve(layer.path("digest").asText().substring("sha256:".length()));
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(blob)))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String value = Integer.toOctalString(e.getMode() & 07777) + " " + e.getLongUserId() + ":" + e.getLongGroupId();
                if (e.isFile()) {
                    value += " " + new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
                entries.put(e.getName(), value);
            }
        }
        return entries;
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
