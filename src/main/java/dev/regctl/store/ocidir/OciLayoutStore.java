package dev.regctl.store.ocidir;

import dev.regctl.RegctlException.Kind;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<hex>})
 * as an {@link ImageStore}. Tags are the {@code org.opencontainers.image.ref.name} annotations of
 * index.json entries. Blob writes from many threads at once are safe; index.json updates are
 * serialized within this process only, since nothing locks the directory against other programs.
 * Each concern has its class: {@link IndexFile}, {@link LayoutTargets} (tags and digests),
 * {@link LayoutBlobStore}, {@link LayoutManifests}, {@link LayoutReferrers}, {@link LayoutDirectory}.
 */
public final class OciLayoutStore implements ImageStore {

    private final String name;
    private final LayoutErrors errors;
    private final LayoutContent content;
    private final LayoutWrites writes;
    private final IndexFile index;
    private final LayoutBlobStore blobs;
    private final LayoutManifests manifests;
    private final LayoutTargets targets;

    private OciLayoutStore(LayoutErrors errors, LayoutContent content, LayoutWrites writes, IndexFile index,
                           LayoutBlobStore blobs) {
        this.name = errors.name();
        this.errors = errors;
        this.content = content;
        this.writes = writes;
        this.index = index;
        this.blobs = blobs;
        this.manifests = new LayoutManifests(content, blobs, errors);
        this.targets = new LayoutTargets(index, manifests, errors);
    }

    private static OciLayoutStore ofDirectory(Path dir, Path realDir) {
        String name = "oci:" + dir;
        LayoutErrors errors = new LayoutErrors(name, dir);
        LayoutBlobs files = new LayoutBlobs(dir.resolve("blobs"));
        LayoutContent content = new Directory(files, dir.resolve(IndexFile.NAME));
        return new OciLayoutStore(errors, content, new LayoutWrites(name, dir), new IndexFile(content, errors, dir, realDir),
                new LayoutBlobStore(content, files, errors));
    }

    /**
     * A layout read from elsewhere than a directory (an archive), by the same rules; it cannot be
     * written to, so every write fails as UNSUPPORTED.
     *
     * @param name what messages call it, e.g. {@code oci-archive:/tmp/app.tar}
     */
    public static OciLayoutStore readOnly(String name, LayoutContent content) {
        LayoutErrors errors = new LayoutErrors(name, null);
        return new OciLayoutStore(errors, content, new LayoutWrites(name, null), new IndexFile(content, errors),
                new LayoutBlobStore(content, null, errors));
    }

    /** The directory's files, read without following links. */
    private record Directory(LayoutBlobs blobs, Path indexFile) implements LayoutContent {
        @Override
        public boolean has(Digest digest, long size) throws IOException {
            return blobs.has(digest, size);
        }

        @Override
        public InputStream open(Digest digest, long size) throws IOException {
            return blobs.open(digest, size);
        }

        @Override
        public long size(Digest digest) throws IOException {
            return blobs.size(digest);
        }

        @Override
        public InputStream openUnsized(Digest digest) throws IOException {
            return blobs.openUnsized(digest);
        }

        @Override
        public byte[] index() throws IOException {
            return LayoutFiles.readAll(indexFile, MAX_INDEX_BYTES);
        }
    }

    /**
     * Opens an existing layout for reading and writing.
     *
     * @throws RegctlException NOT_FOUND when {@code dir} is not an OCI image layout
     */
    public static OciLayoutStore open(Path dir) {
        return ofDirectory(dir, LayoutDirectory.requireLayout("oci:" + dir, dir));
    }

    /**
     * Opens the layout at {@code dir}, first making it (directories included) if it does not
     * exist, and adding any of its files that are missing. Refuses a directory that has other
     * files but no layout, so a mistyped path does not scatter layout files among them.
     */
    public static OciLayoutStore create(Path dir) {
        LayoutDirectory.make("oci:" + dir, dir);
        return open(dir);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Reads a manifest by tag (index.json) or by digest (any blob that is a manifest), verifying
     * its digest. The media type is the document's own, else that of its index.json entry.
     */
    @Override
    public RawManifest fetchManifest(String reference) {
        return manifests.read(targets.of(reference));
    }

    /**
     * The manifest's descriptor if the layout has it. Trusts a tag's index.json entry when its
     * blob is present with the right size (as {@link #hasBlob} does); otherwise reads the blob.
     */
    @Override
    public Optional<Descriptor> headManifest(String reference) {
        Target target;
        try {
            target = targets.of(reference);
        } catch (RegctlException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        return manifests.head(target);
    }

    /**
     * Writes the manifest's blob, then records it in index.json: under {@code tag} (moving the
     * tag if it pointed elsewhere), or when {@code tag} is null as an untagged entry unless an
     * entry already points at it. Rerunning with the same arguments changes nothing.
     */
    @Override
    public void putManifest(RawManifest manifest, String tag) {
        writes.begin();
        if (tag != null && tag.isBlank()) {
            throw new RegctlException(Kind.USAGE, name + ": empty tag");
        }
        blobs.put(manifest.descriptor(), new ByteArrayInputStream(manifest.bytes()));
        index.update(entries -> entries.record(manifest, tag));
    }

    @Override
    public boolean canStore(RawManifest manifest) {
        return holds(manifest.mediaType());
    }

    /**
     * Whether any layout can hold a manifest of this type, existing or yet to be created: not
     * schema 1, whose layers have no descriptors and whose digest is not that of its bytes.
     */
    public static boolean holds(String mediaType) {
        return !MediaTypes.isSchema1(mediaType);
    }

    /** True when the blob's file exists with the descriptor's size (its content is not hashed). */
    @Override
    public boolean hasBlob(Descriptor blob) {
        return blobs.has(blob);
    }

    /**
     * Opens a blob; the stream throws an {@link IOException} naming both digests at the end of
     * the content if the file does not match the descriptor.
     *
     * @throws RegctlException NOT_FOUND when the layout lacks the blob
     */
    @Override
    public InputStream openBlob(Descriptor blob) {
        return blobs.open(blob);
    }

    /**
     * The size of a blob named by its digest alone, read by the same rules as {@link #openBlob}:
     * a link is followed only to a regular file inside the layout.
     *
     * @throws RegctlException NOT_FOUND when the layout lacks the blob
     */
    @Override
    public long blobSize(Digest blob) {
        return blobs.size(blob);
    }

    /**
     * Streams a blob into the layout, verifying it; a blob already present is left alone and
     * {@code content} is not read. Safe to call from several threads, for the same blob too.
     * Does not close {@code content}.
     *
     * @throws RegctlException FAILURE naming both digests when the content does not match, in
     *                         which case nothing is left behind
     */
    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        writes.begin();
        blobs.put(blob, content);
    }

    /**
     * The manifests listed in index.json whose {@code subject} is {@code subject}, by
     * {@link LayoutReferrers}' rule (copy adds them as untagged entries). Entries whose manifest
     * is missing are passed over.
     */
    @Override
    public List<Descriptor> referrers(Digest subject) {
        List<Descriptor> entries;
        try {
            entries = index.read().entries();
        } catch (IOException e) {
            throw errors.invalidIndex(e);
        }
        return LayoutReferrers.of(subject, entries, manifests::tree);
    }

    /** The {@code org.opencontainers.image.ref.name} values of index.json, once each, in order. */
    @Override
    public List<String> listTags() {
        return index.read().tags();
    }

    /**
     * Removes every index.json entry pointing at {@code digest}, which removes its tags. Its blob
     * and those it references stay: they may be shared with other manifests, and an unreferenced
     * blob may be one a concurrent copy has just written and is about to reference, which only a
     * lock all programs honour could tell apart. The spec allows unreferenced blobs.
     *
     * @throws RegctlException NOT_FOUND when no entry points at {@code digest}
     */
    @Override
    public void deleteManifest(Digest digest) {
        writes.begin();
        // Earlier versions listed an index's images as untagged entries of their own; they go
        // with the index, so nothing it brought is left behind in index.json.
        Set<String> children = manifests.childrenIfIndex(digest);
        int removed = index.update(entries -> {
            int removedEntries = entries.removeDigest(digest.toString());
            return removedEntries == 0 ? 0 : removedEntries + entries.removeUntagged(children);
        });
        if (removed == 0) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": no " + IndexFile.NAME + " entry points at " + digest);
        }
    }

    /**
     * Takes the tag off its index.json entry; the entry itself stays, untagged, unless another
     * entry still points at the same manifest, so the manifest is kept either way.
     *
     * @throws RegctlException NOT_FOUND when no entry has the tag
     */
    @Override
    public void deleteTag(String tag) {
        writes.begin();
        int found = index.update(entries -> entries.untag(tag));
        if (found == 0) {
            throw targets.tagNotFound(tag);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void close() {
        try {
            content.close();
        } catch (IOException e) {
            // Only reading was done; nothing is lost.
        }
    }

    @Override
    public String onlyImage() {
        return LayoutIndex.nameOf(resolve(null, null));
    }

    /**
     * The manifest a tag, a digest, both or neither name, so that every command reads a layout
     * the same way; {@code tag} is an opaque {@code ref.name}, {@code :} and {@code /} included.
     * <ul>
     * <li>a digest alone: that manifest, listed in index.json or not (an index's images are
     *     blobs only);</li>
     * <li>a tag alone: the entry with that ref.name;</li>
     * <li>both: the entry with that ref.name pointing at that digest;</li>
     * <li>neither: the layout's only image; referrers listed beside it do not count.</li>
     * </ul>
     *
     * @return the index.json entry, its annotations and platform included; for a manifest no
     *         entry lists, or an entry without media type or size, the manifest's own descriptor
     * @throws RegctlException USAGE naming the choices when the tag is on entries for different
     *                         manifests, or when neither is given and the layout holds several
     *                         images; NOT_FOUND when nothing matches or the layout is empty
     */
    public Descriptor resolve(String tag, Digest digest) {
        if (tag != null && tag.isEmpty()) {
            throw new RegctlException(Kind.USAGE, name + ": empty tag");
        }
        Target target = targets.of(tag, digest);
        Descriptor entry = target.entry();
        if (entry != null && entry.mediaType() != null && entry.size() > 0) {
            return entry;
        }
        return manifests.read(target).descriptor();
    }
}
