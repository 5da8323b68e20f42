package dev.regctl.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.testing.ImageParts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Writes large fixtures fast, for the shapes skopeo would take minutes to build: thousands of
 * tags on one repository, dozens of repositories for catalog paging. Each repository gets one
 * tiny config and layer; each tag gets its own manifest (an annotation names the tag), so every
 * tag has a distinct digest, as in real repositories.
 *
 * <p>How: every blob, every repository and the first tag of each go through the HTTP API
 * (monolithic uploads and manifest PUTs over one keep-alive client), so the registry itself
 * creates and validates each repository. Further tags are then written straight into the
 * filesystem driver's layout (manifest blob, revision link, tag links), which the registry reads
 * on every request with no cache in between. Why: on 2 cores distribution 2.8 spends about 3 ms
 * on each manifest PUT, so 3,000 tags over HTTP took 7-9 s per fixture; written to disk they take
 * about 1.5 s. Why it stays reliable: the layout is an internal detail, so before writing
 * anything itself the seeder checks that the registry's own PUT of the first tag produced exactly
 * the files it would write, and fails loudly if a registry version lays them out otherwise.
 *
 * <pre>{@code
 * try (Seeder seeder = Seeder.of(registry)) {
 *     Map<String, String> digestByTag = seeder.tags("many/tags", 3000);
 *     List<String> repositories = seeder.repositories("catalog/repo", 40);
 * }
 * }</pre>
 */
public final class Seeder implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARALLEL_REQUESTS = 4;
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private final RegistryServer registry;
    private final OkHttpClient http;
    private final ExecutorService pool;
    private final Function<String, String> authorization;

    private Seeder(RegistryServer registry, Function<String, String> authorization) {
        this.registry = registry;
        this.authorization = authorization;
        this.http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(PARALLEL_REQUESTS, 1, TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(60))
                .build();
        this.pool = Executors.newFixedThreadPool(PARALLEL_REQUESTS, r -> {
            Thread t = new Thread(r, "regctl-it-seeder");
            t.setDaemon(true);
            return t;
        });
    }

    /** A seeder for an open registry. */
    public static Seeder of(RegistryServer registry) {
        return new Seeder(registry, repository -> null);
    }

    /** A seeder sending Basic credentials, for an htpasswd registry. */
    public static Seeder withBasicAuth(RegistryServer registry, String user, String password) {
        String header = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Seeder(registry, repository -> header);
    }

    /**
     * A seeder sending {@code Bearer <token>} with a token per repository, for a token registry:
     * {@code Seeder.withBearer(registry, repo -> tokens.mintToken("seeder", "repository:" + repo + ":pull,push"))}.
     */
    public static Seeder withBearer(RegistryServer registry, Function<String, String> tokenForRepository) {
        return new Seeder(registry, repository -> "Bearer " + tokenForRepository.apply(repository));
    }

    /** Tags {@code t00000}, {@code t00001}, … (sorted as the registry lists them); returns tag → manifest digest. */
    public Map<String, String> tags(String repository, int count) {
        List<String> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tags.add(String.format("t%05d", i));
        }
        return tags(repository, tags);
    }

    /**
     * Gives {@code repository} one manifest per tag; returns tag → manifest digest in the given
     * order. The first tag is pushed over HTTP, the rest written to storage (see the class doc).
     */
    public Map<String, String> tags(String repository, List<String> tags) {
        Map<String, String> byTag = new LinkedHashMap<>();
        if (tags.isEmpty()) {
            return byTag;
        }
        // Only the first tag meets the registry's own validation; the rest become directory names.
        tags.stream().filter(t -> !TAG.matcher(t).matches()).findFirst().ifPresent(t -> {
            throw new IllegalArgumentException("not a valid tag: \"" + t + "\"");
        });
        ObjectNode template = pushBlobs(repository);
        String first = tags.get(0);
        byte[] firstManifest = manifest(template, first);
        byTag.put(first, pushManifest(repository, first, firstManifest));
        StorageLayout storage = new StorageLayout(registry.storageDir(), repository);
        storage.verifyWrittenByRegistry(first, firstManifest);

        List<Future<String>> written = new ArrayList<>(tags.size() - 1);
        for (String tag : tags.subList(1, tags.size())) {
            written.add(pool.submit(() -> storage.writeTag(tag, manifest(template, tag))));
        }
        for (int i = 1; i < tags.size(); i++) {
            byTag.put(tags.get(i), await(written.get(i - 1)));
        }
        return byTag;
    }

    /** Creates {@code prefix-000} … with one image tagged {@code latest} each; returns their names. */
    public List<String> repositories(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        List<Future<String>> pushed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = String.format("%s-%03d", prefix, i);
            names.add(name);
            pushed.add(pool.submit(() -> pushManifest(name, "latest", manifest(pushBlobs(name), "latest"))));
        }
        pushed.forEach(Seeder::await);
        return names;
    }

    /** Shuts the worker threads and the connection pool down. */
    @Override
    public void close() {
        pool.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Uploads the config and layer every manifest of {@code repository} shares; returns a manifest template. */
    private ObjectNode pushBlobs(String repository) {
        byte[] layer = ImageParts.tar("seed.txt", ("seeded by regctl tests: " + repository).getBytes(StandardCharsets.UTF_8));
        byte[] layerGz = ImageParts.gzip(layer);
        ObjectNode config = JSON.createObjectNode();
        config.put("created", "2024-01-01T00:00:00Z");
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(Digest.sha256(layer).toString());
        byte[] configBytes = json(config);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptor(MediaTypes.OCI_CONFIG, uploadBlob(repository, configBytes), configBytes.length));
        manifest.putArray("layers").add(descriptor(MediaTypes.OCI_LAYER_GZIP, uploadBlob(repository, layerGz), layerGz.length));
        return manifest;
    }

    /** Monolithic upload: POST opens a session, one PUT with {@code ?digest=} sends the bytes and closes it. */
    public String uploadBlob(String repository, byte[] bytes) {
        String digest = Digest.sha256(bytes).toString();
        HttpUrl start = HttpUrl.get(registry.url() + "/v2/" + repository + "/blobs/uploads/");
        String location = call(repository, new Request.Builder().url(start).post(RequestBody.create(new byte[0], null)), 202)
                .get("Location");
        HttpUrl session = start.resolve(location);
        if (session == null) {
            throw new IllegalStateException("registry answered an upload with an unusable Location: " + location);
        }
        HttpUrl finish = session.newBuilder().addQueryParameter("digest", digest).build();
        call(repository, new Request.Builder().url(finish).put(RequestBody.create(bytes, OCTET_STREAM)), 201);
        return digest;
    }

    /** The template with the tag named in an annotation: a distinct manifest per tag. */
    private static byte[] manifest(ObjectNode template, String tag) {
        ObjectNode manifest = template.deepCopy();
        manifest.putObject("annotations").put("dev.regctl.test.tag", tag);
        return json(manifest);
    }

    /** Pushes an OCI manifest under {@code tag} (or a digest); returns its digest. */
    public String pushManifest(String repository, String tag, byte[] manifest) {
        HttpUrl url = HttpUrl.get(registry.url() + "/v2/" + repository + "/manifests/" + tag);
        call(repository, new Request.Builder().url(url).put(RequestBody.create(manifest, MediaType.get(MediaTypes.OCI_MANIFEST))), 201);
        return Digest.sha256(manifest).toString();
    }

    /** Sends the request and returns the response headers, or fails with the registry's error body. */
    private Headers call(String repository, Request.Builder request, int expected) {
        String header = authorization.apply(repository);
        if (header != null) {
            request.header("Authorization", header);
        }
        Request built = request.build();
        try (Response response = http.newCall(built).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            if (response.code() != expected) {
                throw new IllegalStateException("seeding " + registry.host() + ": " + built.method() + " "
                        + built.url().encodedPath() + " answered " + response.code() + " (expected " + expected + "): " + body);
            }
            return response.headers();
        } catch (IOException e) {
            throw new UncheckedIOException("seeding " + registry.host() + ": " + built.method() + " " + built.url().encodedPath(), e);
        }
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding", e);
        }
    }
}
