package dev.regctl.store.registry;

import dev.regctl.RegctlException;
import dev.regctl.auth.Scope;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.Reference;
import dev.regctl.oci.Tag;
import dev.regctl.store.RateLimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** {@code /v2/<name>/manifests/<reference>}: get, head, put and delete, digests always checked. */
final class ManifestsEndpoint {
    private static final String ACCEPT = String.join(", ", MediaTypes.MANIFESTS);
    static final String DELETE_DISABLED_HINT = "the registry refuses deletes: on a distribution registry set"
            + " REGISTRY_STORAGE_DELETE_ENABLED=true (storage.delete.enabled); elsewhere allow deletion in the"
            + " registry's UI or API policy";

    static final String SCHEMA1_REFUSED_HINT = "schema 1 is deprecated and most registries refuse it; on a"
            + " distribution 2.x registry set compatibility.schema1.enabled: true, or convert the image first"
            + " (e.g. skopeo copy --format v2s2)";

    static final String ARTIFACT_REFUSED_HINT = "OCI 1.1 as released dropped artifact manifests, and many registries"
            + " never took them: copy it to a registry or layout that stores them, or push the artifact again with"
            + " ORAS 1.1 or later, which writes an image manifest with an artifactType";

    static final String SHA512_REFUSED_HINT = "the registry knows manifests by sha256 only, so an index or referrer"
            + " that names its manifests by sha512 cannot be stored there as it is; keep it in an oci: layout or"
            + " oci-archive:, or copy each image by tag";

    private final RegistryClient client;
    private final String repository;

    ManifestsEndpoint(RegistryClient client, String repository) {
        this.client = client;
        this.repository = repository;
    }

    RawManifest get(String reference) {
        String what = "fetch manifest " + Reference.join(repository, reference);
        try (Response r = client.execute(request(reference).get(), pull(), what)) {
            long length = r.body().contentLength();
            if (length > RawManifest.MAX_SIZE) {
                throw failure(what + ": manifest of " + length + " bytes exceeds the 4 MiB limit");
            }
            // Without a Content-Length (chunked) only reading tells the size: buffer at most one byte
            // past the limit, so an endless or huge answer cannot exhaust the small heap.
            okio.BufferedSource source = r.body().source();
            if (source.request(RawManifest.MAX_SIZE + 1L)) {
                throw failure(what + ": manifest exceeds the 4 MiB limit");
            }
            byte[] bytes = source.readByteArray();
            RawManifest raw = RawManifest.of(bytes, r.header("Content-Type"));
            verify(what, reference, r.header("Docker-Content-Digest"), raw);
            // Asked for by sha512 (an index's child written so), it keeps that identity.
            return Digest.isDigest(reference) ? raw.identifiedBy(Digest.parse(reference)) : raw;
        } catch (IOException e) {
            throw failure(what + ": connection failed while reading: " + e.getMessage());
        }
    }

    Optional<Descriptor> head(String reference) {
        String what = "check manifest " + Reference.join(repository, reference);
        try (Response r = client.execute(request(reference).head(), pull(), what, 404)) {
            if (r.code() == 404) {
                return Optional.empty();
            }
            String digest = r.header("Docker-Content-Digest");
            String type = r.header("Content-Type");
            String length = r.header("Content-Length");
            if (digest == null || type == null || length == null) {
                // Some registries omit these on HEAD; the GET answer is authoritative anyway.
                return Optional.of(get(reference).descriptor());
            }
            return Optional.of(new Descriptor(type.split(";")[0].trim(), Digest.parse(digest), Long.parseLong(length)));
        }
    }

    /** The pull limit the registry reports on a {@code HEAD} of the manifest, which spends no pull. */
    Optional<RateLimit> rateLimit(String reference) {
        String what = "check the rate limit of " + client.registry() + "/" + Reference.join(repository, reference);
        // 404 and 429 answers carry the headers too: a missing tag or a spent limit still says how many are left.
        try (Response r = client.execute(request(reference).head(), pull(), what, 404, 429)) {
            return RateLimit.of(r::header);
        }
    }

    void put(RawManifest manifest, String reference) {
        String what = "push manifest " + Reference.join(repository, reference);
        RequestBody body = RequestBody.create(manifest.bytes(), MediaType.get(manifest.mediaType()));
        try (Response r = client.execute(new Request.Builder().url(url(reference)).put(body),
                List.of(Scope.repository(repository, "pull", "push")), what)) {
            String echoed = r.header("Docker-Content-Digest");
            if (echoed != null && echoed.startsWith("sha256:") && !isDigestOf(echoed, manifest)) {
                throw failure(what + ": registry stored digest " + echoed + " but the manifest is " + manifest.digest());
            }
        } catch (RegistryException e) {
            throw manifest.isSchema1() ? refused(e, e.status() >= 500, "the manifest is schema 1, which registries that"
                    + " dropped it refuse", SCHEMA1_REFUSED_HINT)
                    : manifest.isArtifactManifest() ? refused(e, false, manifest.digest() + " is an OCI 1.1-rc artifact"
                            + " manifest (" + manifest.mediaType() + "), which this registry does not store", ARTIFACT_REFUSED_HINT)
                    : reference.startsWith("sha512:") ? refused(e, "DIGEST_INVALID".equals(e.code()), "pushed by its"
                            + " sha512 digest, which this registry does not take", SHA512_REFUSED_HINT)
                    : e;
        }
    }

    /**
     * Whether this repository takes a schema 1 manifest, asked before anything of it is pushed: a
     * PUT by digest while the target lacks its layers. A registry that takes schema 1 refuses it
     * for the missing blobs (MANIFEST_BLOB_UNKNOWN) and stores nothing; one that dropped schema 1
     * refuses it as such; one that has the layers already (a rerun) stores it untagged, which the
     * copy would do anyway.
     */
    boolean takesSchema1(RawManifest manifest) {
        try {
            put(manifest, manifest.digest().toString());
            return true;
        } catch (RegctlException e) {
            if (e.kind() == RegctlException.Kind.UNSUPPORTED) {
                return false;
            }
            if (e instanceof RegistryException r && ("MANIFEST_BLOB_UNKNOWN".equals(r.code())
                    || "BLOB_UNKNOWN".equals(r.code()))) {
                return true;
            }
            throw e;
        }
    }

    /**
     * Registries refuse a manifest type they do not store in their own words, which is exit 5 with
     * a way out, not a retryable failure (missing blobs are not that). Distribution 2.8 answers
     * an OCI 1.1-rc artifact manifest with 400 MANIFEST_INVALID ("missing signature key": it tried
     * it as schema 1), others 415 or UNSUPPORTED. Schema 1: distribution 2.8 without
     * {@code compatibility.schema1.enabled} answers 500 UNKNOWN (its log says "manifest schema v1
     * unsupported"), others MANIFEST_INVALID or UNSUPPORTED.
     *
     * A manifest pushed by its sha512 digest, distribution 2.8 answers 400 DIGEST_INVALID: it
     * digests manifests with sha256 only, and cannot be given the sha512 name an index or a
     * referrer written with sha512 uses for it.
     *
     * @param alsoRefusal whether this answer is that refusal though it is not one of the usual
     *                    (a 5xx for schema 1 on distribution 2.8, DIGEST_INVALID for sha512)
     */
    private static RegctlException refused(RegistryException e, boolean alsoRefusal, String why, String hint) {
        String code = e.code() == null ? "" : e.code();
        boolean refusal = alsoRefusal || e.status() == 415 || code.equals("MANIFEST_INVALID")
                || code.equals("UNSUPPORTED") || e.kind() == RegctlException.Kind.UNSUPPORTED;
        if (!refusal) {
            return e;
        }
        return new RegctlException(RegctlException.Kind.UNSUPPORTED, e.getMessage() + " (" + why + ")", hint, e);
    }

    void delete(Digest digest) {
        String what = "delete manifest " + repository + "@" + digest;
        try (Response ignored = client.execute(deleteRequest(digest.toString()), deleteScope(), what)) {
            // 202 Accepted: nothing to read.
        } catch (RegistryException e) {
            throw withDeleteHint(e);
        }
    }

    /**
     * {@code DELETE} by tag, which OCI distribution 1.1 allows a registry to offer. Returns false
     * when the registry answers that it does not: distribution 2.8 says 400 DIGEST_INVALID, 3.x
     * says UNSUPPORTED, others 404 or 405. Whether deletes are allowed at all is not known then.
     */
    boolean deleteTag(String tag) {
        String what = "delete tag " + repository + ":" + tag;
        try (Response r = client.execute(deleteRequest(tag), deleteScope(), what, 400, 404, 405, 501)) {
            return r.isSuccessful();
        } catch (RegistryException e) {
            if (e.kind() == RegctlException.Kind.UNSUPPORTED) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Fails, with the registry's own words and a hint, when it refuses manifest deletes in this
     * repository. Asks to delete a digest that cannot exist: a registry that allows deletes
     * answers 404, one that does not answers 405 UNSUPPORTED (or 401/403), and nothing changes.
     */
    void requireDeletes(String what) {
        Digest absent = Digest.sha256(("regctl: no manifest has this digest " + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8));
        try (Response ignored = client.execute(deleteRequest(absent.toString()), deleteScope(), what, 404)) {
            // 404 (or, oddly, success): deletes are allowed.
        } catch (RegistryException e) {
            throw withDeleteHint(e);
        }
    }

    private Request.Builder deleteRequest(String reference) {
        return new Request.Builder().url(url(reference)).delete();
    }

    private List<Scope> deleteScope() {
        return List.of(Scope.repository(repository, "delete"));
    }

    /** Registries ship with deletes off; say how to turn them on, since the 405 alone does not. */
    private static RegistryException withDeleteHint(RegistryException e) {
        if (e.kind() != RegctlException.Kind.UNSUPPORTED || e.hint() != null) {
            return e;
        }
        return new RegistryException(e.status(), e.code(), e.getMessage(), DELETE_DISABLED_HINT);
    }

    private Request.Builder request(String reference) {
        return new Request.Builder().url(url(reference)).header("Accept", ACCEPT);
    }

    /**
     * The manifest's URL by tag or digest. References come from tag lists and layouts too, so
     * anything else (a "tag" such as {@code ../../other/manifests/latest}) is refused before it
     * becomes a path.
     */
    private HttpUrl url(String reference) {
        if (!Tag.isValid(reference)) {
            try {
                Digest.parse(reference);
            } catch (RegctlException e) {
                throw failure(repository + ": " + Tag.quote(reference) + " is neither a valid tag nor a digest;"
                        + " refusing to use it in a URL");
            }
        }
        return client.url(repository, "manifests", reference);
    }

    private List<Scope> pull() {
        return List.of(Scope.repository(repository, "pull"));
    }

    /**
     * The bytes are the truth: a digest asked for or announced must be the digest of what came
     * (of its payload, for a signed schema 1 manifest, whose signatures change on every GET).
     */
    private static void verify(String what, String reference, String announced, RawManifest raw) {
        if (Digest.isDigest(reference)) {
            Digest wanted = Digest.parse(reference);
            if (!raw.hasDigest(wanted)) {
                throw failure(what + ": digest mismatch: asked for " + wanted + ", received content with "
                        + (wanted.algorithm().equals("sha256") ? raw.digest() : "another " + wanted.algorithm() + " digest"));
            }
        } else if (announced != null && announced.startsWith("sha256:") && !announced.equals(raw.digest().toString())) {
            throw failure(what + ": digest mismatch: registry announced " + announced + " but the content is "
                    + raw.digest());
        }
    }

    /** True when {@code digest}, as a registry echoed it, is one of the manifest's digests. */
    private static boolean isDigestOf(String digest, RawManifest manifest) {
        try {
            return manifest.hasDigest(Digest.parse(digest));
        } catch (RegctlException e) {
            return false; // not a digest at all
        }
    }

    private static RegctlException failure(String message) {
        return new RegctlException(RegctlException.Kind.FAILURE, message);
    }
}
