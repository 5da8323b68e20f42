package dev.regctl.store.registry;

import dev.regctl.RegctlException;
import dev.regctl.auth.Scope;
import dev.regctl.http.Transfer;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.store.SourceReadException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * {@code /v2/<name>/blobs/}: existence checks, streamed downloads, cross-repository mounts and
 * uploads. Small blobs go up in one PUT; large ones in one streamed PATCH and an empty PUT, as
 * docker, skopeo and crane upload, so a registry handles one request per blob, not one per chunk.
 * Where a registry or a proxy in front of it refuses so large a body (413), the blob is sent
 * again in PATCH chunks of bounded size, following the {@code Location} each answer gives.
 */
final class BlobsEndpoint {
    static final long MONOLITHIC_MAX = 16L * 1024 * 1024;
    static final long CHUNK = 16L * 1024 * 1024;
    /** What an upload reads before handing it to the socket: eight of Okio's segments, one system call. */
    static final long SEND_STEP = 64 * 1024;
    private static final int TOO_LARGE = 413;
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");

    private final RegistryClient client;
    private final String repository;

    BlobsEndpoint(RegistryClient client, String repository) {
        this.client = client;
        this.repository = repository;
    }

    boolean exists(Descriptor blob) {
        try (Response r = client.execute(new Request.Builder().url(url(blob)).head(), pull(),
                "check blob " + blob.digest() + " in " + repository, 404)) {
            return r.code() != 404;
        }
    }

    /** The blob's size from a HEAD's {@code Content-Length}; NOT_FOUND when the repository lacks it. */
    long size(Digest blob) {
        String what = "check blob " + blob + " in " + repository;
        try (Response r = client.execute(new Request.Builder().url(client.url(repository, "blobs", blob.toString())).head(),
                pull(), what)) {
            String length = r.header("Content-Length");
            try {
                // The Descriptor checks the bound, as for any size a source states.
                return new Descriptor(null, blob, Long.parseLong(length == null ? "" : length)).size();
            } catch (NumberFormatException e) {
                throw new RegctlException(RegctlException.Kind.FAILURE, what + ": the registry gave no size");
            }
        }
    }

    /** The blob's bytes as a stream (redirects to storage are followed); the caller closes it. */
    InputStream open(Descriptor blob) {
        Response r = client.execute(bulk().url(url(blob)).get(), pull(),
                "fetch blob " + blob.digest() + " from " + repository);
        return r.body().byteStream();
    }

    /** Asks the registry to link the blob from another repository; false when it started an upload instead. */
    boolean mount(Descriptor blob, String fromRepository) {
        MountAnswer answer = mountOrStart(blob, fromRepository);
        if (answer.session() != null) {
            // The registry opened an upload session instead; abandon it so nothing lingers.
            cancel(client, repository, answer.session());
        }
        return answer.mounted();
    }

    /**
     * Opens an upload session for the blob unless the repository has it, in one request where
     * the registry allows: a mount from the repository itself is answered 201 when the blob is
     * there and with a new session when not. A registry that refuses such a mount (a 4xx other
     * than an authorization or rate-limit answer) or answers it without a session is asked the
     * usual way: HEAD, then POST.
     *
     * @return the session to upload to, or null when the repository has the blob
     */
    HttpUrl startUnlessPresent(Descriptor blob) {
        try {
            MountAnswer answer = mountOrStart(blob, repository);
            if (answer.mounted() || answer.session() != null) {
                return answer.session();
            }
        } catch (RegistryException e) {
            int status = e.status();
            if (status < 400 || status >= 500 || status == 401 || status == 403 || status == 408 || status == 429) {
                throw e;
            }
        }
        return exists(blob) ? null : start(uploading(blob));
    }

    /** What a mount request got: the blob linked, or the upload session the registry opened instead (null if unusable). */
    private record MountAnswer(boolean mounted, HttpUrl session) {
    }

    /** POST {@code ?mount=&from=}. */
    private MountAnswer mountOrStart(Descriptor blob, String fromRepository) {
        HttpUrl url = client.url(repository, "blobs", "uploads", "").newBuilder()
                .addQueryParameter("mount", blob.digest().toString()).addQueryParameter("from", fromRepository).build();
        try (Response r = client.execute(new Request.Builder().url(url).post(RequestBody.create(new byte[0], null)),
                List.of(Scope.repository(repository, "pull", "push"), Scope.repository(fromRepository, "pull")),
                "mount blob " + blob.digest() + " from " + fromRepository)) {
            if (r.code() == 201) {
                return new MountAnswer(true, null);
            }
            String location = r.header("Location");
            HttpUrl session = location == null ? null : url.resolve(location);
            if (session != null) {
                client.uploads().opened(client, repository, session);
            }
            return new MountAnswer(false, session);
        }
    }

    /**
     * Uploads {@code content} (exactly {@code blob.size()} bytes); the registry checks the digest
     * at the end. The stream cannot be read twice, so a registry that refuses the whole blob in
     * one request fails this upload.
     */
    void upload(Descriptor blob, InputStream content) {
        boolean[] opened = {false};
        upload(blob, () -> {
            if (opened[0]) {
                throw new RegctlException(RegctlException.Kind.FAILURE, uploading(blob)
                        + ": the registry refused the blob in one request and it cannot be read again");
            }
            opened[0] = true;
            return content;
        }, start(uploading(blob)));
    }

    /**
     * Uploads what {@code opener} opens to an upload session already open at {@code location};
     * the session is cancelled if anything fails, opening the content included. {@code opener}
     * is called again, after the first stream is closed, when the blob must be sent in chunks.
     */
    void upload(Descriptor blob, Supplier<InputStream> opener, HttpUrl location) {
        InputStream whole = null;
        try {
            whole = opener.get();
            send(blob, whole, location, blob.size());
        } catch (RegistryException e) {
            if (e.status() != TOO_LARGE || blob.size() <= CHUNK) {
                throw e;
            }
            closeQuietly(whole);
            send(blob, opener.get(), start(uploading(blob)), CHUNK);
        } catch (RuntimeException e) {
            if (whole == null) {
                // Opening the content failed: the session was opened for nothing.
                cancel(client, repository, location);
            }
            throw e;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // The refused attempt is over; its source stream has nothing more to give.
        }
    }

    /**
     * Sends the blob to the session at {@code location}: in one PUT when it is small, else in
     * PATCH requests of at most {@code chunk} bytes and an empty PUT. The session is cancelled
     * if anything fails.
     */
    private void send(Descriptor blob, InputStream content, HttpUrl location, long chunk) {
        String what = uploading(blob);
        try {
            long sent = 0;
            if (blob.size() > MONOLITHIC_MAX) {
                while (sent < blob.size()) {
                    long n = Math.min(chunk, blob.size() - sent);
                    Request.Builder patch = bulk().url(location)
                            .header("Content-Range", sent + "-" + (sent + n - 1))
                            .patch(streamed(content, n));
                    try (Response r = client.execute(patch, push(), what)) {
                        HttpUrl moved = next(location, r);
                        client.uploads().moved(location, moved);
                        location = moved;
                        checkRange(what, r.header("Range"), sent + n);
                    }
                    sent += n;
                }
            }
            HttpUrl put = location.newBuilder().addQueryParameter("digest", blob.digest().toString()).build();
            RequestBody rest = sent == blob.size() ? RequestBody.create(new byte[0], OCTETS) : streamed(content, blob.size());
            try (Response r = client.execute(bulk().url(put).put(rest), push(), what)) {
                String stored = r.header("Docker-Content-Digest");
                // A sha512 blob is echoed by the registry's own sha256 (distribution 2.8), which only
                // hashing again would check; the registry took the upload as of the sha512 asked for.
                if (stored != null && stored.startsWith(blob.digest().algorithm() + ":")
                        && !stored.equals(blob.digest().toString())) {
                    throw new RegctlException(RegctlException.Kind.FAILURE,
                            what + ": registry stored " + stored + ", expected " + blob.digest());
                }
            }
        } catch (RuntimeException e) {
            cancel(client, repository, location);
            throw e;
        } finally {
            client.uploads().closed(location);
        }
    }

    /** What an upload is called in errors. */
    private String uploading(Descriptor blob) {
        return "upload blob " + blob.digest() + " to " + repository;
    }

    private HttpUrl start(String what) {
        HttpUrl url = client.url(repository, "blobs", "uploads", "");
        try (Response r = client.execute(new Request.Builder().url(url).post(RequestBody.create(new byte[0], null)),
                push(), what)) {
            HttpUrl session = next(url, r);
            client.uploads().opened(client, repository, session);
            return session;
        }
    }

    private HttpUrl next(HttpUrl current, Response r) {
        String location = r.header("Location");
        HttpUrl next = location == null ? null : current.resolve(location);
        if (next == null) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "upload to " + repository + ": registry answered "
                    + r.code() + (location == null ? " without a Location header" : " with an unusable Location \""
                    + location + "\""));
        }
        return next;
    }

    /** A registry that kept fewer bytes than sent would make the final digest check fail obscurely. */
    private static void checkRange(String what, String range, long expectedEnd) {
        if (range == null) {
            return;
        }
        String[] parts = range.replace("bytes=", "").split("-");
        if (parts.length != 2 || !parts[1].trim().matches("\\d{1,18}")) {
            throw new RegctlException(RegctlException.Kind.FAILURE, what + ": registry answered an unreadable Range \""
                    + range + "\"");
        }
        if (Long.parseLong(parts[1].trim()) + 1 != expectedEnd) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    what + ": registry has bytes " + range + " after sending up to " + (expectedEnd - 1));
        }
    }

    /** Asks the registry to drop an upload session of {@code repository} (best effort), unless a stop has. */
    static void cancel(RegistryClient client, String repository, HttpUrl session) {
        client.uploads().drop(session, () -> delete(client, repository, session));
    }

    /** Sends the DELETE that drops an upload session (best effort). */
    static void delete(RegistryClient client, String repository, HttpUrl session) {
        try (Response ignored = client.execute(new Request.Builder().url(session).delete().tag(Transfer.class, Transfer.CLEANUP),
                List.of(Scope.repository(repository, "pull", "push")), "cancel upload", 400, 404, 405)) {
            // Best effort: an abandoned session is garbage-collected by the registry anyway.
        } catch (RegctlException ignored) {
            // The upload's own failure is what the user needs to see.
        }
    }

    /** A request carrying blob bytes: its length has no deadline, only the idle limit. */
    private static Request.Builder bulk() {
        return new Request.Builder().tag(Transfer.class, Transfer.BULK);
    }

    private HttpUrl url(Descriptor blob) {
        return client.url(repository, "blobs", blob.digest().toString());
    }

    private List<Scope> pull() {
        return List.of(Scope.repository(repository, "pull"));
    }

    private List<Scope> push() {
        return List.of(Scope.repository(repository, "pull", "push"));
    }

    /** Exactly {@code length} bytes from the stream, written as they are read: never buffered whole. */
    private static RequestBody streamed(InputStream content, long length) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return OCTETS;
            }

            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                Source source = Okio.source(content);
                for (long left = length; left > 0; ) {
                    left -= sendSome(source, sink, left);
                }
            }
        };
    }

    /**
     * Moves up to {@link #SEND_STEP} bytes of the {@code left} still to send into {@code sink}
     * and hands them on. A method of its own because the JIT compiles a method after a few
     * hundred calls but a loop only after tens of thousands of turns, which is most of a blob:
     * with the loop body inline, the upload's hot path ran interpreted.
     *
     * @return the bytes moved
     */
    private static long sendSome(Source source, BufferedSink sink, long left) throws IOException {
        long want = Math.min(left, SEND_STEP);
        long moved = 0;
        while (moved < want) {
            long n = source.read(sink.getBuffer(), want - moved);
            if (n < 0) {
                throw new SourceReadException("the content of the blob ended " + (left - moved) + " bytes early");
            }
            moved += n;
        }
        sink.emitCompleteSegments();
        return moved;
    }
}
