package dev.regctl.ops;

import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * Enough of the distribution API in memory to copy through, on a MockWebServer: blobs (HEAD, GET,
 * POST/PATCH/PUT uploads, mounts), manifests (HEAD, GET, PUT) and tags, with no referrers API
 * (404, like distribution 2.8). Faults are injected per request pattern, a given number of times.
 */
public final class FakeRegistry extends Dispatcher {
    private static final Pattern ROUTE = Pattern.compile("^/v2/(.+?)/(blobs/uploads|blobs|manifests|tags|referrers)/?([^?]*)(\\?.*)?$");

    /** A canned answer for the next {@code times} requests whose "METHOD path" matches. */
    private record Fault(Pattern request, int[] remaining, Function<RecordedRequest, MockResponse> answer) {
    }

    /** Content by digest, and which repositories link to it: a blob is visible only where linked. */
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> links = new ConcurrentHashMap<>();
    private final Map<String, Map<String, RawManifest>> manifests = new ConcurrentHashMap<>();
    private final Map<String, Buffer> uploads = new ConcurrentHashMap<>();
    private final List<Fault> faults = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /** Every request so far as {@code "METHOD path?query"}. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public long count(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return log().stream().filter(l -> l.startsWith(method + " ") && p.matcher(l.substring(method.length() + 1)).matches()).count();
    }

    /** Answers the next {@code times} requests matching {@code "METHOD pathRegex"} with {@code answer}. */
    public FakeRegistry fault(String method, String pathRegex, int times, Function<RecordedRequest, MockResponse> answer) {
        faults.add(new Fault(Pattern.compile(method + " " + pathRegex), new int[] {times}, answer));
        return this;
    }

    /** Stores bytes as the blob {@code digest} of {@code repository} (not checked: a corrupt blob is allowed). */
    public void putBlob(String repository, String digest, byte[] bytes) {
        blobs.put(digest, bytes);
        link(repository, digest);
    }

    public void putBlob(String repository, Digest digest, byte[] bytes) {
        putBlob(repository, digest.toString(), bytes);
    }

    public byte[] blob(String repository, Digest digest) {
        return blob(repository, digest.toString());
    }

    /** The blob's bytes if {@code repository} has it, else null. */
    public byte[] blob(String repository, String digest) {
        return linked(repository, digest) ? blobs.get(digest) : null;
    }

    private void link(String repository, String digest) {
        links.computeIfAbsent(repository, r -> ConcurrentHashMap.newKeySet()).add(digest);
    }

    private boolean linked(String repository, String digest) {
        return links.getOrDefault(repository, Set.of()).contains(digest);
    }

    public void putManifest(String repository, RawManifest manifest, String tag) {
        Map<String, RawManifest> repo = manifests.computeIfAbsent(repository, r -> new ConcurrentHashMap<>());
        repo.put(manifest.digest().toString(), manifest);
        if (tag != null) {
            repo.put(tag, manifest);
        }
    }

    /** Builds an image of {@code platform} with {@code layers} in memory and serves it at repository:tag. */
    public Images.Image serve(String repository, String tag, String platform, byte[]... layers) {
        MemoryStore scratch = new MemoryStore("scratch");
        Images.Image built = Images.image(scratch, null, platform, layers);
        built.blobs().forEach(b -> putBlob(repository, b.digest(), scratch.blob(b.digest())));
        putManifest(repository, built.manifest(), tag);
        return built;
    }

    public RawManifest manifest(String repository, String reference) {
        return manifests.getOrDefault(repository, Map.of()).get(reference);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response = answer(request);
        if (request.getMethod().equals("HEAD") && response.getStatus().matches("HTTP/1.1 [45].*")) {
            // MockWebServer would write an error body after a HEAD answer, corrupting the keep-alive connection.
            return new MockResponse().setStatus(response.getStatus());
        }
        return response;
    }

    private MockResponse answer(RecordedRequest request) {
        String line = request.getMethod() + " " + request.getPath();
        log.add(line);
        for (Fault f : faults) {
            synchronized (f) {
                if (f.remaining()[0] > 0 && f.request().matcher(line).matches()) {
                    f.remaining()[0]--;
                    return f.answer().apply(request);
                }
            }
        }
        if (request.getPath().equals("/v2/")) {
            return new MockResponse();
        }
        Matcher m = ROUTE.matcher(request.getPath());
        if (!m.matches()) {
            return notFound();
        }
        String repository = m.group(1);
        String rest = m.group(3);
        return switch (m.group(2)) {
            case "blobs" -> blob(request, repository, rest);
            case "blobs/uploads" -> upload(request, repository, rest);
            case "manifests" -> manifest(request, repository, rest);
            default -> notFound();
        };
    }

    private MockResponse blob(RecordedRequest request, String repository, String digest) {
        byte[] bytes = blob(repository, digest);
        if (bytes == null) {
            return error(404, "BLOB_UNKNOWN", "blob unknown to registry");
        }
        MockResponse r = new MockResponse().addHeader("Docker-Content-Digest", digest).addHeader("Content-Type", "application/octet-stream");
        return request.getMethod().equals("HEAD") ? r.setHeader("Content-Length", bytes.length) : r.setBody(new Buffer().write(bytes));
    }

    private MockResponse upload(RecordedRequest request, String repository, String session) {
        String location = "/v2/" + repository + "/blobs/uploads/";
        switch (request.getMethod()) {
            case "POST" -> {
                String mount = request.getRequestUrl().queryParameter("mount");
                String from = request.getRequestUrl().queryParameter("from");
                if (mount != null && from != null && linked(from, mount)) {
                    link(repository, mount);
                    return new MockResponse().setResponseCode(201).addHeader("Location", "/v2/" + repository + "/blobs/" + mount)
                            .addHeader("Docker-Content-Digest", mount);
                }
                String id = UUID.randomUUID().toString();
                uploads.put(id, new Buffer());
                return new MockResponse().setResponseCode(202).addHeader("Location", location + id).addHeader("Range", "0-0");
            }
            case "PATCH" -> {
                Buffer buffer = uploads.get(session);
                if (buffer == null) {
                    return error(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
                }
                buffer.write(request.getBody().readByteArray());
                return new MockResponse().setResponseCode(202).addHeader("Location", location + session)
                        .addHeader("Range", "0-" + (buffer.size() - 1));
            }
            case "PUT" -> {
                Buffer buffer = uploads.remove(session);
                if (buffer == null) {
                    return error(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
                }
                buffer.write(request.getBody().readByteArray());
                byte[] bytes = buffer.readByteArray();
                String digest = request.getRequestUrl().queryParameter("digest");
                if (digest == null || !Digest.parse(digest).isDigestOf(bytes)) {
                    return error(400, "DIGEST_INVALID", "provided digest did not match uploaded content");
                }
                putBlob(repository, digest, bytes);
                return new MockResponse().setResponseCode(201).addHeader("Docker-Content-Digest", digest)
                        .addHeader("Location", "/v2/" + repository + "/blobs/" + digest);
            }
            case "DELETE" -> {
                return uploads.remove(session) == null ? error(404, "BLOB_UPLOAD_UNKNOWN", "unknown")
                        : new MockResponse().setResponseCode(204);
            }
            default -> {
                return error(405, "UNSUPPORTED", "unsupported");
            }
        }
    }

    private MockResponse manifest(RecordedRequest request, String repository, String reference) {
        if (request.getMethod().equals("PUT")) {
            RawManifest manifest = RawManifest.of(request.getBody().readByteArray(), request.getHeader("Content-Type"));
          putManifest(repository, manifest, reference.contains(":") ? null : reference);
            return new MockResponse().setResponseCode(201).addHeader("Docker-Content-Digest", manifest.digest().toString());
        }
        RawManifest manifest = manifest(repository, reference);
        if (manifest == null) {
            return error(404, "MANIFEST_UNKNOWN", "manifest unknown");
        }
        MockResponse r = new MockResponse().addHeader("Content-Type", manifest.mediaType())
                .addHeader("Docker-Content-Digest", manifest.digest().toString());
        return request.getMethod().equals("HEAD") ? r.setHeader("Content-Length", manifest.size())
                : r.setBody(new Buffer().write(manifest.bytes()));
    }

    public static MockResponse error(int status, String code, String message) {
        return new MockResponse().setResponseCode(status).addHeader("Content-Type", "application/json")
                .setBody("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}");
    }

    private static MockResponse notFound() {
        return new MockResponse().setResponseCode(404).setBody("404 page not found\n");
    }
}
