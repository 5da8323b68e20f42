package dev.regctl.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the real buildah (the Debian package) to build images from scratch and push them, so tests
 * read manifests, configs and layers written by another implementation than ours. Every instance
 * has a private storage root and run root with the {@code vfs} driver (no overlay mounts, works
 * as root in a container) and private config files, so it neither sees nor touches the host's
 * images, registries.conf, signature policy or credentials; {@link #close()} deletes it all.
 * Nothing is pulled: images start {@code FROM scratch}.
 *
 * <pre>{@code
 * try (Buildah buildah = Buildah.create()) {
 *     buildah.scratchImage("localhost/app:arm64", "linux", "arm64", Map.of("a.txt", bytes));
 *     buildah.push("localhost/app:arm64", registry.docker("app:oci"), "oci");
 *     buildah.manifestCreate("localhost/app:list");
 *     buildah.manifestAdd("localhost/app:list", "localhost/app:arm64");
 *     buildah.manifestPush("localhost/app:list", registry.docker("app:list"), "v2s2");
 * }
 * }</pre>
 */
public final class Buildah implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String INSTALL = "apt-get install -y buildah (or run scripts/test-deps); "
            + "the tests build images with the real tool, as root with the vfs storage driver";

    private final Path binary;
    private final Path dir;
    private final Path root;
    private final Path runRoot;
    private final Path policy;
    private final Path authFile;
    private final Map<String, String> env = new LinkedHashMap<>();
    private int images;

    private Buildah(Path binary) {
        this.binary = binary;
        this.dir = Cleanup.tempDirectory("regctl-it-buildah-");
        this.root = dir.resolve("root");
        this.runRoot = dir.resolve("runroot");
        this.policy = dir.resolve("policy.json");
        this.authFile = dir.resolve("auth.json");
        try {
            Path home = Files.createDirectories(dir.resolve("home"));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Path storageConf = dir.resolve("storage.conf");
            Path registriesConf = dir.resolve("registries.conf");
            Path containersConf = dir.resolve("containers.conf");
            // The same settings as the command-line flags: containers/storage complains when its
            // config file names no driver, and the host's file must not be read at all.
            Files.writeString(storageConf, "[storage]\ndriver = \"vfs\"\n"
                    + "graphroot = " + toml(root) + "\nrunroot = " + toml(runRoot) + "\n", StandardCharsets.UTF_8);
            Files.writeString(registriesConf, "", StandardCharsets.UTF_8);
            Files.writeString(containersConf, "", StandardCharsets.UTF_8);
            // Fixtures are unsigned; the host's policy.json may demand signatures for some registries.
            Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}", StandardCharsets.UTF_8);
            Files.writeString(authFile, "{\"auths\":{}}", StandardCharsets.UTF_8);
            env.put("HOME", home.toString());
            env.put("TMPDIR", tmp.toString());
            env.put("CONTAINERS_STORAGE_CONF", storageConf.toString());
            env.put("CONTAINERS_REGISTRIES_CONF", registriesConf.toString());
            env.put("CONTAINERS_CONF", containersConf.toString());
            env.put("REGISTRY_AUTH_FILE", null);
            env.put("XDG_RUNTIME_DIR", null);
            env.put("XDG_CONFIG_HOME", null);
            env.put("BUILDAH_FORMAT", null);
            // containers/storage reads these too; a developer's overlay options must not reach vfs.
            env.put("STORAGE_DRIVER", null);
            env.put("STORAGE_OPTS", null);
        } catch (IOException e) {
            Cleanup.delete(dir);
            throw new UncheckedIOException("cannot prepare buildah's private storage in " + dir, e);
        }
    }

    /** A buildah with empty private storage; fails (never skips) when buildah is not installed. */
    public static Buildah create() {
        Path binary;
        try {
            binary = ExternalTools.require("buildah");
        } catch (IllegalStateException e) {
            throw new IllegalStateException("buildah not found on PATH: " + INSTALL, e);
        }
        return new Buildah(binary);
    }

    /**
     * Commits an image for {@code os/arch} with one layer per entry of {@code layers} (file name to
     * content, in iteration order: pass a {@link LinkedHashMap}), built from scratch, as
     * {@code name} (e.g. {@code localhost/app:arm64}) in the private storage. Returns the image id.
     */
    public String scratchImage(String name, String os, String arch, Map<String, byte[]> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an image from scratch needs at least one layer");
        }
        Path files = dir.resolve("files-" + (++images));
        String base = "scratch";
        String id = null;
        try {
            Files.createDirectories(files);
            for (Map.Entry<String, byte[]> layer : layers.entrySet()) {
                Path file = Files.write(files.resolve(layer.getKey()), layer.getValue());
                String container = "regctl-it-" + images + "-" + layer.getKey().replaceAll("[^A-Za-z0-9]", "-");
                run("from", "--quiet", "--pull=never", "--signature-policy", policy.toString(),
                        "--name", container, base);
                run("copy", "--quiet", container, file.toString(), "/" + layer.getKey());
                run("config", "--os", os, "--arch", arch, container);
                // Each commit of a container started from the previous commit adds exactly one layer.
                id = run("commit", "--quiet", "--rm", "--signature-policy", policy.toString(), container, name)
                        .strip();
                base = name;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing layer files under " + files, e);
        }
        return id;
    }

    /**
     * {@code buildah push --format FORMAT} of a local image to {@code destination}
     * ({@code docker://127.0.0.1:PORT/NAME:TAG}); {@code format} is {@code v2s2} or {@code oci}.
     */
    public void push(String image, String destination, String format) {
        pushWith(image, destination, "--format", format);
    }

    /**
     * {@code buildah push --format oci --compression-format zstd}: every layer compressed with zstd,
     * as {@code podman push --compression-format zstd} writes them.
     */
    public void pushZstd(String image, String destination) {
        pushWith(image, destination, "--format", "oci", "--compression-format", "zstd");
    }

    private void pushWith(String image, String destination, String... options) {
        List<String> args = new ArrayList<>(List.of("push", "--quiet"));
        args.addAll(Arrays.asList(options));
        args.addAll(List.of("--tls-verify=false", "--authfile", authFile.toString(),
                "--signature-policy", policy.toString(), image, destination));
        run(args.toArray(String[]::new));
    }

    /** {@code buildah manifest create}: an empty local manifest list named {@code list}. */
    public void manifestCreate(String list) {
        run("manifest", "create", list);
    }

    /** {@code buildah manifest add}: adds a local image; its platform comes from the image's config. */
    public void manifestAdd(String list, String image) {
        run("manifest", "add", list, image);
    }

    /** {@code buildah manifest push --all --format FORMAT}: the list and every image it names. */
    public void manifestPush(String list, String destination, String format) {
        run("manifest", "push", "--quiet", "--all", "--format", format, "--tls-verify=false",
                "--authfile", authFile.toString(), "--signature-policy", policy.toString(), list, destination);
    }

    /** Runs any other buildah command with the private storage; returns stdout. */
    public String run(String... args) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--storage-driver", "vfs",
                "--root", root.toString(), "--runroot", runRoot.toString()));
        argv.addAll(Arrays.asList(args));
        try {
            return Command.run(argv, env, TIMEOUT).stdoutText();
        } catch (CommandFailedException e) {
            // Rootless buildah needs user namespaces; as root (as in CI) the vfs driver needs nothing.
            throw new IllegalStateException("buildah failed (the tests run it as root with the vfs driver): "
                    + e.getMessage(), e);
        }
    }

    /** Deletes the private storage, config and every image built in it. */
    @Override
    public void close() {
        Cleanup.delete(dir);
    }

    private static String toml(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
