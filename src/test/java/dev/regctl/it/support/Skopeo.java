package dev.regctl.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the real skopeo against test registries: the independent client that writes fixtures
 * regctl reads and reads back what regctl writes. TLS verification is off (the registries are
 * plain HTTP on loopback) and credentials only ever come from an auth file.
 *
 * <pre>{@code
 * Skopeo skopeo = Skopeo.withAuthFile(auth.path());
 * skopeo.copy("oci:" + layoutDir + ":v1", registry.docker("app:v1"), "--all", "--preserve-digests");
 * byte[] manifest = skopeo.inspectRaw(registry.docker("app:v1"));
 * List<String> tags = skopeo.listTags(registry.docker("app"));
 * }</pre>
 */
public final class Skopeo {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path authFile;
    private final Duration timeout;

    private Skopeo(Path authFile, Duration timeout) {
        this.authFile = authFile;
        this.timeout = timeout;
    }

    /**
     * Skopeo without credentials. It still gets an (empty) auth file: otherwise it would read the
     * developer's own ${XDG_RUNTIME_DIR}/containers/auth.json or ~/.docker/config.json.
     */
    public static Skopeo anonymous() {
        return new Skopeo(EmptyAuthFile.PATH, DEFAULT_TIMEOUT);
    }

    /** Skopeo using the credentials in {@code authFile} (see {@link AuthFile}). */
    public static Skopeo withAuthFile(Path authFile) {
        return new Skopeo(authFile, DEFAULT_TIMEOUT);
    }

    /** The same client with another per-command timeout (default two minutes). */
    public Skopeo timeout(Duration timeout) {
        return new Skopeo(authFile, timeout);
    }

    /**
     * {@code skopeo copy SRC DST}; references carry their transport ({@code docker://…},
     * {@code oci:DIR:TAG}). Pass {@code --all} for every image of an index and
     * {@code --preserve-digests} to fail rather than let skopeo rewrite a manifest.
     */
    public void copy(String source, String destination, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("copy", "--quiet", "--authfile", authFile.toString(),
                "--src-tls-verify=false", "--dest-tls-verify=false"));
        args.addAll(Arrays.asList(extraArgs));
        args.add(source);
        args.add(destination);
        run(args);
    }

    /** The manifest (or index) exactly as the registry serves it: hash these bytes for its digest. */
    public byte[] inspectRaw(String reference) {
        return run(List.of("inspect", "--raw", "--tls-verify=false", "--authfile", authFile.toString(), reference)).stdout();
    }

    /** The image config blob; for an index, {@code --override-os}/{@code --override-arch} pick the image. */
    public JsonNode inspectConfig(String reference, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("inspect", "--config", "--raw", "--tls-verify=false",
                "--authfile", authFile.toString()));
        args.addAll(Arrays.asList(extraArgs));
        args.add(reference);
        return parse(run(args).stdout(), reference);
    }

    /** The image config blob's bytes exactly as stored (its sha256 is the manifest's config digest). */
    public byte[] inspectConfigRaw(String reference) {
        return run(List.of("inspect", "--config", "--raw", "--tls-verify=false", "--authfile", authFile.toString(),
                reference)).stdout();
    }

    /** Every tag of {@code repository} ({@code docker://HOST/NAME}), as skopeo pages through them. */
    public List<String> listTags(String repository) {
        JsonNode answer = parse(run(List.of("list-tags", "--tls-verify=false", "--authfile", authFile.toString(),
                repository)).stdout(), repository);
        List<String> tags = new ArrayList<>();
        answer.path("Tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    private Command.Result run(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(ExternalTools.require("skopeo").toString());
        // The host's policy.json decides about signatures, which no test fixture has; accept all.
        argv.add("--insecure-policy");
        argv.addAll(args);
        Map<String, String> env = new HashMap<>();
        env.put("REGISTRY_AUTH_FILE", null);
        return Command.run(argv, env, timeout);
    }

    private static JsonNode parse(byte[] json, String reference) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("skopeo printed something other than JSON for " + reference, e);
        }
    }

    /** One shared empty auth file, made on first use and deleted at JVM exit. */
    private static final class EmptyAuthFile {
        static final Path PATH = AuthFile.create().path();
    }
}
