package dev.regctl.store;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One repository's worth of images, wherever it lives: a repository on a registry or an OCI
 * image layout directory. Copy and the read commands are written once against this.
 * References are a tag or a digest string ({@code sha256:...}).
 */
public interface ImageStore extends AutoCloseable {

    /** A human name for messages, e.g. {@code localhost:5000/app} or {@code oci:/tmp/x}. */
    String name();

    /**
     * Fetches a manifest by tag or digest, bytes exactly as stored. When fetched by digest, the
     * bytes are verified against it.
     *
     * @throws dev.regctl.RegctlException NOT_FOUND when there is no such manifest
     */
    RawManifest fetchManifest(String reference);

    /**
     * Where the manifest last fetched by {@code reference} was read from: this store's name, or
     * the registries.conf mirror that served it.
     */
    default String servedBy(String reference) {
        return name();
    }

    /** {@link #fetchManifest(String)} by digest. */
    default RawManifest fetchManifest(Digest digest) {
        return fetchManifest(digest.toString());
    }

    /** {@link #findManifest(String)} by digest. */
    default Optional<RawManifest> findManifest(Digest digest) {
        return findManifest(digest.toString());
    }

    /** The manifest if the store has it; other failures (auth, network) still throw. */
    default Optional<RawManifest> findManifest(String reference) {
        try {
            return Optional.of(fetchManifest(reference));
        } catch (RegctlException e) {
            if (e.kind() == RegctlException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * What to fetch when the user named the store alone, without tag or digest: a layout's only
     * image (by its tag when it has one), or, when it holds several, a USAGE failure naming them.
     * A registry repository has no such image: its references fall back to {@code latest} first.
     */
    default String onlyImage() {
        throw new RegctlException(RegctlException.Kind.USAGE, name() + ": name an image by tag or digest");
    }

    /** The descriptor of a manifest if present (HEAD where the store supports it), else empty. */
    Optional<Descriptor> headManifest(String reference);

    /** Stores a manifest under its digest and, when {@code tag} is non-null, under the tag. */
    void putManifest(RawManifest manifest, String tag);

    /** True when the store has the blob. */
    boolean hasBlob(Descriptor blob);

    /**
     * Opens a blob for streaming. The stream verifies size and digest as it is read and fails at
     * end of stream if they do not match.
     */
    InputStream openBlob(Descriptor blob);

    /** Stores a blob read from {@code content}, verifying its digest and size while streaming. */
    void putBlob(Descriptor blob, InputStream content);

    /**
     * Stores the blob unless the store has it, finding out which in the same request where the
     * store can (a registry answers an upload request that way); {@code content} is opened only
     * when the bytes are needed, and closed by the caller.
     *
     * @return true when the blob was stored, false when the store had it
     */
    default boolean putBlobUnlessPresent(Descriptor blob, Supplier<InputStream> content) {
        if (hasBlob(blob)) {
            return false;
        }
        putBlob(blob, content.get());
        return true;
    }

    /**
     * Asks the store to link a blob already held in another repository of the same place
     * without moving the bytes. Returns false when that is not possible (the caller uploads).
     */
    default boolean mountBlob(Descriptor blob, String fromRepository) {
        return false;
    }

    /**
     * The registry and repository this store is, or empty for a layout or an archive: what only
     * registries do (mounts between repositories, pull limits) is decided by it, never by the
     * kind of reference the store was opened for.
     */
    default Optional<RegistryRepository> onRegistry() {
        return Optional.empty();
    }

    /**
     * The registry repositories reads of this store go to, in the order they are tried: its own
     * (see {@link #onRegistry}), or the mirrors a read tries before it. Empty for a layout or an
     * archive.
     */
    default List<RegistryRepository> readsFrom() {
        return onRegistry().map(List::of).orElse(List.of());
    }

    /**
     * The repository blobs can be mounted from ({@link #mountBlob}) when copying from
     * {@code source} to this store: the first of the repositories the source is read from (where
     * registries.conf sends the requests, never the names typed) that is in this store's
     * registry, unless it is this very repository; otherwise null.
     */
    default String mountFrom(ImageStore source) {
        Optional<RegistryRepository> here = onRegistry();
        if (here.isEmpty()) {
            return null;
        }
        for (RegistryRepository there : source.readsFrom()) {
            if (there.registry().equals(here.get().registry())) {
                return there.repository().equals(here.get().repository()) ? null : there.repository();
            }
        }
        return null;
    }

    /**
     * The pull limit the registry reports for {@code reference} (a tag or digest), asked without
     * spending a pull; empty when it reports none, and for a store that counts no pulls.
     */
    default Optional<RateLimit> rateLimit(String reference) {
        return Optional.empty();
    }

    /**
     * The manifests that name {@code subject} as their {@code subject}: signatures, SBOMs and
     * attestations attached to an image (OCI 1.1 referrers). Each descriptor carries the
     * referrer's {@code artifactType} and annotations where the store knows them. Stores that
     * cannot list referrers return an empty list, which is also the answer when there are none.
     */
    default List<Descriptor> referrers(Digest subject) {
        return List.of();
    }

    /**
     * Whether this store can hold an image under {@code tag}: a registry takes only the
     * distribution grammar's tags, a layout any {@code ref.name}. Checked before anything is
     * written, since tags come from other stores.
     */
    default boolean canHoldTag(String tag) {
        return true;
    }

    /**
     * Whether this store can hold this manifest. Checked before anything is written: an OCI
     * layout cannot hold Docker schema 1, which has no descriptors to index, and a registry that
     * dropped schema 1 is asked first, so a copy it would refuse pushes no blob either.
     */
    default boolean canStore(RawManifest manifest) {
        return true;
    }

    /**
     * The size of a blob the store holds, for manifests that name blobs by digest alone
     * (Docker schema 1 records no layer sizes).
     *
     * @throws RegctlException NOT_FOUND when the store lacks the blob, UNSUPPORTED when it cannot tell
     */
    default long blobSize(Digest blob) {
        throw new RegctlException(RegctlException.Kind.UNSUPPORTED, name() + ": cannot tell the size of blob " + blob);
    }

    /** All tags, in the order the store gives them. */
    List<String> listTags();

    /**
     * The tags, to look names up in: none when the repository does not exist yet, and empty
     * when the store will not list them (a registry answering 401 for a repository not made yet,
     * a robot account that may push but not list). Only ever a shortcut: a caller left without
     * the list looks each image up instead.
     */
    default Optional<Set<String>> knownTags() {
        try {
            return Optional.of(new HashSet<>(listTags()));
        } catch (RegctlException e) {
            return e.kind() == RegctlException.Kind.NOT_FOUND ? Optional.of(Set.of()) : Optional.empty();
        }
    }

    /**
     * Removes one tag and keeps the manifest it points to, and with it every other tag on that
     * manifest; the manifest stays reachable by digest even when this was its last tag.
     *
     * @throws RegctlException NOT_FOUND when there is no such tag, UNSUPPORTED when the store
     *                         cannot remove a tag on its own
     */
    default void deleteTag(String tag) {
        throw new RegctlException(RegctlException.Kind.UNSUPPORTED, name() + ": cannot remove a single tag");
    }

    /** Deletes a manifest by digest. */
    void deleteManifest(Digest digest);

    /**
     * Something the user should hear about the images this store gives, when anything: a docker
     * archive's manifests are built, not stored, so their digests are new.
     */
    default Optional<String> notice() {
        return Optional.empty();
    }

    /**
     * Makes what was written final. A store written whole (an archive) writes its index here and
     * puts the file in place; until then a failed or interrupted copy leaves nothing behind.
     * Other stores write as they go and have nothing left to do.
     */
    default void commit() {
    }

    @Override
    default void close() {
    }
}
