package dev.regctl.store.ocidir;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException.Kind;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.FileErrors;
import dev.regctl.store.ImageStore;
import dev.regctl.store.LocalTarget;
import dev.regctl.store.LocalWriteException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<hex>})
 * as an {@link ImageStore}. Tags are the {@code org.opencontainers.image.ref.name} annotations of
 * index.json entries. Blob writes from many threads at once are safe; index.json updates are
 * serialized within this process only, since nothing locks the directory against other programs.
 */
public final class OciLayoutStore implements ImageStore {

    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";
    private static final byte[] LAYOUT_CONTENT =
            "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    /**
     * A reference naming one of the digest algorithms regctl knows is a digest; anything else is
     * a tag. The general digest grammar is not used because it also matches {@code app:latest},
     * which some tools write as a ref.name.
     */
    private static final Pattern DIGEST_REFERENCE = Pattern.compile("(?:sha256|sha512):.*");

    /**
     * One lock per layout directory, shared by every store opened on it in this process (copy
     * from a layout into itself opens two), so concurrent index.json rewrites cannot lose entries.
     */
    private static final ConcurrentMap<Path, Object> INDEX_LOCKS = new ConcurrentHashMap<>();

    /** oci-layout holds one short JSON object; anything near this size is not one. */
    private static final int MAX_LAYOUT_FILE_BYTES = 64 * 1024;

    private final String name;
    private final Path dir;
    private final Path indexFile;
    private final LayoutBlobs blobs;
    private final LayoutContent content;
    private final Object indexLock;
    private final AtomicBoolean staleTempFilesRemoved = new AtomicBoolean();

    private OciLayoutStore(Path dir, Path realDir) {
        this.name = "oci:" + dir;
        this.dir = dir;
        this.indexFile = dir.resolve(INDEX_FILE);
        this.blobs = new LayoutBlobs(dir.resolve("blobs"));
        this.content = new Directory();
        this.indexLock = INDEX_LOCKS.computeIfAbsent(realDir, d -> new Object());
    }

    private OciLayoutStore(String name, LayoutContent content) {
        this.name = name;
        this.dir = null;
        this.indexFile = null;
        this.blobs = null;
        this.content = content;
        this.indexLock = new Object();
    }

    /**
     * A layout read from elsewhere than a directory (an archive), by the same rules; it cannot be
     * written to, so every write fails as UNSUPPORTED.
     *
     * @param name what messages call it, e.g. {@code oci-archive:/tmp/app.tar}
     */
    public static OciLayoutStore readOnly(String name, LayoutContent content) {
        return new OciLayoutStore(name, content);
    }

    /** The directory's files, read without following links. */
    private final class Directory implements LayoutContent {
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

    private void requireWritable() {
        if (dir == null) {
            throw new RegctlException(Kind.UNSUPPORTED, name + ": cannot be changed in place; copy the images to a new one");
        }
    }

    /**
     * Opens an existing layout for reading and writing.
     *
     * @throws RegctlException NOT_FOUND when {@code dir} is not an OCI image layout
     */
    public static OciLayoutStore open(Path dir) {
        String name = "oci:" + dir;
        if (!Files.isDirectory(dir)) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": no such directory");
        }
        checkLayoutFile(name, dir);
        try {
            LayoutFiles.regularFile(dir.resolve(INDEX_FILE));
            return new OciLayoutStore(dir, dir.toRealPath());
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": not an OCI image layout: no " + INDEX_FILE + " file");
        } catch (RefusedFileException e) {
            throw refused(name, dir, e);
        } catch (IOException e) {
            throw failure(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the layout at {@code dir}, first making it (directories included) if it does not
     * exist, and adding any of its files that are missing. Refuses a directory that has other
     * files but no layout, so a mistyped path does not scatter layout files among them.
     */
    public static OciLayoutStore create(Path dir) {
        String name = "oci:" + dir;
        LocalTarget.requireDirectory(name, dir);
        try {
            Files.createDirectories(dir);
            Path layoutFile = dir.resolve(LAYOUT_FILE);
            Path indexFile = dir.resolve(INDEX_FILE);
            // Not following links: a link in either place is refused by open(), not written through.
            if (!Files.exists(layoutFile, NOFOLLOW_LINKS) && !Files.exists(indexFile, NOFOLLOW_LINKS) && !isEmpty(dir)) {
                throw new RegctlException(Kind.USAGE,
                        name + ": directory is not empty and is not an OCI image layout",
                        "copy to a new or empty directory", null);
            }
            requireUsable(name, dir);
            // oci-layout first: its presence is what marks a half-made layout as ours to finish.
            if (!Files.exists(layoutFile, NOFOLLOW_LINKS)) {
                AtomicFiles.write(layoutFile, LAYOUT_CONTENT);
            }
            synchronized (INDEX_LOCKS.computeIfAbsent(dir.toRealPath(), d -> new Object())) {
                if (!Files.exists(indexFile, NOFOLLOW_LINKS)) {
                    AtomicFiles.write(indexFile, LayoutIndex.empty().toBytes());
                }
            }
            LayoutFiles.makeDirectory(dir.resolve("blobs"));
            LayoutFiles.makeDirectory(dir.resolve("blobs").resolve("sha256"));
        } catch (RefusedFileException e) {
            throw refused(name, dir, e);
        } catch (IOException e) {
            throw LocalWriteException.of(name + ": cannot create OCI image layout", e);
        }
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
        return readManifest(target(reference));
    }

    /**
     * The manifest's descriptor if the layout has it. Trusts a tag's index.json entry when its
     * blob is present with the right size (as {@link #hasBlob} does); otherwise reads the blob.
     */
    @Override
    public Optional<Descriptor> headManifest(String reference) {
        Target target;
        try {
            target = target(reference);
        } catch (RegctlException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        Descriptor entry = target.entry;
        if (entry != null && entry.mediaType() != null && entry.size() > 0
                && hasBlob(new Descriptor(entry.mediaType(), target.digest, entry.size()))) {
            return Optional.of(new Descriptor(entry.mediaType(), target.digest, entry.size()));
        }
        try {
            return Optional.of(readManifest(target).descriptor());
        } catch (RegctlException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Writes the manifest's blob, then records it in index.json: under {@code tag} (moving the
     * tag if it pointed elsewhere), or when {@code tag} is null as an untagged entry unless an
     * entry already points at it. Rerunning with the same arguments changes nothing.
     */
    @Override
    public void putManifest(RawManifest manifest, String tag) {
        requireWritable();
        if (tag != null && tag.isBlank()) {
            throw new RegctlException(Kind.USAGE, name + ": empty tag");
        }
        Descriptor descriptor = manifest.descriptor();
        putBlob(descriptor, new ByteArrayInputStream(manifest.bytes()));
        updateIndex(index -> index.record(manifest, tag));
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
        try {
            return content.has(blob.digest(), blob.size());
        } catch (RefusedFileException e) {
            throw refused(e);
        } catch (IOException e) {
            throw failure(name + ": checking blob " + blob.digest() + ": " + FileErrors.describe(e), e);
        }
    }

    /**
     * Opens a blob; the stream throws an {@link IOException} naming both digests at the end of
     * the content if the file does not match the descriptor.
     *
     * @throws RegctlException NOT_FOUND when the layout lacks the blob
     */
    @Override
    public InputStream openBlob(Descriptor blob) {
        try {
            return content.open(blob.digest(), blob.size());
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": blob " + blob.digest() + " not found");
        } catch (RefusedFileException e) {
            throw refused(e);
        } catch (IOException e) {
            throw failure(name + ": opening blob " + blob.digest() + ": " + FileErrors.describe(e), e);
        }
    }

    /**
     * The size of a blob named by its digest alone, read by the same rules as {@link #openBlob}:
     * a link is followed only to a regular file inside the layout.
     *
     * @throws RegctlException NOT_FOUND when the layout lacks the blob
     */
    @Override
    public long blobSize(Digest blob) {
        try {
            return content.size(blob);
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": blob " + blob + " not found");
        } catch (RefusedFileException e) {
            throw refused(e);
        } catch (IOException e) {
            throw failure(name + ": reading blob " + blob + ": " + FileErrors.describe(e), e);
        }
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
        requireWritable();
        removeStaleTempFilesOnce();
        try {
            blobs.put(blob, content);
        } catch (RefusedFileException e) {
            throw refused(e);
        } catch (IOException e) {
            throw LocalWriteException.of(name + ": storing blob " + blob.digest(), e);
        }
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
            entries = readIndex().entries();
        } catch (IOException e) {
            throw failure(name + ": " + INDEX_FILE + " has an invalid entry: " + FileErrors.describe(e), e);
        }
        return LayoutReferrers.of(subject, entries.stream()
                .filter(e -> e.digest() != null && DIGEST_REFERENCE.matcher(e.digest().toString()).matches()).toList(),
                this::manifestTree);
    }

    /** The entry's manifest as JSON, or null when it is missing or no manifest. */
    private JsonNode manifestTree(Descriptor entry) {
        byte[] bytes;
        try {
            bytes = readManifestBlob(new Target(entry.digest().toString(), false, entry.digest(), entry));
        } catch (RegctlException e) {
            if (e.kind() == Kind.NOT_FOUND || e.kind() == Kind.USAGE) {
                return null;
            }
            throw e;
        }
        try {
            return Json.readTree(bytes);
        } catch (IOException e) {
            return null; // readManifestBlob only returns JSON objects; unreachable in practice
        }
    }

    /** The {@code org.opencontainers.image.ref.name} values of index.json, once each, in order. */
    @Override
    public List<String> listTags() {
        return readIndex().tags();
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
        requireWritable();
        // Earlier versions listed an index's images as untagged entries of their own; they go
        // with the index, so nothing it brought is left behind in index.json.
        Set<String> children = childrenIfIndex(digest);
        int removed = updateIndex(index -> {
            int entries = index.removeDigest(digest.toString());
            return entries == 0 ? 0 : entries + index.removeUntagged(children);
        });
        if (removed == 0) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": no " + INDEX_FILE + " entry points at " + digest);
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
        requireWritable();
        int found = updateIndex(index -> index.untag(tag));
        if (found == 0) {
            throw tagNotFound(tag, readIndex());
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
        Target target = target(tag, digest);
        Descriptor entry = target.entry;
        if (entry != null && entry.mediaType() != null && entry.size() > 0) {
            return entry;
        }
        return readManifest(target).descriptor();
    }

    /** What a reference names: a digest, and the index.json entry that led to it if any. */
    private record Target(String reference, boolean byTag, Digest digest, Descriptor entry) {
    }

    /** A reference as {@link ImageStore} passes it: a digest when it names a known algorithm, else a tag. */
    private Target target(String reference) {
        if (DIGEST_REFERENCE.matcher(reference).matches()) {
            return target(null, Digest.parse(reference));
        }
        return target(reference, null);
    }

    private Target target(String tag, Digest digest) {
        LayoutIndex index = readIndex();
        try {
            if (tag != null) {
                return tagged(index, tag, digest);
            }
            if (digest != null) {
                return new Target(digest.toString(), false, digest, index.withDigest(digest.toString()).orElse(null));
            }
            return onlyImage(index);
        } catch (IOException e) {
            throw failure(name + ": " + INDEX_FILE + " has an invalid entry: " + FileErrors.describe(e), e);
        }
    }

    private Target tagged(LayoutIndex index, String tag, Digest digest) throws IOException {
        Map<String, Descriptor> byDigest = new LinkedHashMap<>();
        for (Descriptor entry : index.allTagged(tag)) {
            byDigest.putIfAbsent(String.valueOf(entry.digest()), entry);
        }
        if (byDigest.isEmpty()) {
            throw tagNotFound(tag, index);
        }
        if (digest != null) {
            Descriptor entry = byDigest.get(digest.toString());
            if (entry == null) {
                throw new RegctlException(Kind.NOT_FOUND, name + ": tag \"" + tag + "\" points at "
                        + String.join(", ", byDigest.keySet()) + ", not " + digest);
            }
            return new Target(tag, true, digest, entry);
        }
        if (byDigest.size() > 1) {
            // Taking the first would be a guess, and another reader of the layout may guess otherwise.
            throw new RegctlException(Kind.USAGE, name + ": tag \"" + tag + "\" is on " + byDigest.size()
                    + " different manifests: " + firstTen(List.copyOf(byDigest.keySet())),
                    "name the image by digest", null);
        }
        Descriptor entry = byDigest.values().iterator().next();
        return new Target(tag, true, entryDigest(entry, "tag \"" + tag + "\""), entry);
    }

    /** With neither tag nor digest, as skopeo reads a layout: it must hold exactly one image. */
    private Target onlyImage(LayoutIndex index) throws IOException {
        Map<String, Descriptor> images = new LinkedHashMap<>();
        Map<String, List<String>> tags = new LinkedHashMap<>();
        for (Descriptor entry : index.entries()) {
            String digest = String.valueOf(entry.digest());
            images.putIfAbsent(digest, entry);
            tags.computeIfAbsent(digest, d -> new ArrayList<>());
            String tag = entry.annotations() == null ? null : entry.annotations().get(LayoutIndex.REF_NAME);
            if (tag != null) {
                tags.get(digest).add(tag);
            }
        }
        if (images.size() > 1) {
            images.keySet().removeIf(digest -> tags.get(digest).isEmpty() && isReferrer(images.get(digest)));
        }
        if (images.isEmpty()) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": the layout holds no image");
        }
        if (images.size() > 1) {
            throw new RegctlException(Kind.USAGE, name + " holds " + images.size()
                    + " images; name one by tag or digest", "choices: " + firstTen(choices(images.keySet(), tags)), null);
        }
        Descriptor entry = images.values().iterator().next();
        return new Target(entry.digest().toString(), false, entryDigest(entry, "its only entry"), entry);
    }

    /** Each image by its tags, except tags that are on several images; by digest when it has none left. */
    private static List<String> choices(Set<String> digests, Map<String, List<String>> tags) {
        Map<String, Integer> uses = new HashMap<>();
        digests.forEach(d -> tags.get(d).stream().distinct().forEach(t -> uses.merge(t, 1, Integer::sum)));
        List<String> choices = new ArrayList<>();
        for (String digest : digests) {
            List<String> own = tags.get(digest).stream().distinct().filter(t -> uses.get(t) == 1).toList();
            if (own.isEmpty()) {
                choices.add(digest);
            } else {
                choices.addAll(own);
            }
        }
        return choices;
    }

    private static String firstTen(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(names.size(), 10))) + (names.size() > 10 ? ", ..." : "");
    }

    /** A signature or SBOM listed so it can be found, not an image one would pick. */
    private boolean isReferrer(Descriptor entry) {
        try {
            Digest digest = Digest.parse(String.valueOf(entry.digest()));
            return Json.readTree(readManifestBlob(new Target(entry.digest().toString(), false, digest, entry))).has("subject");
        } catch (RegctlException | IOException e) {
            return false; // unreadable: it stays a choice, and reading it will say what is wrong
        }
    }

    private Digest entryDigest(Descriptor entry, String what) {
        if (entry.digest() == null) {
            throw failure(name + ": " + INDEX_FILE + " entry for " + what + " has no digest", null);
        }
        return entry.digest();
    }

    private RegctlException tagNotFound(String tag, LayoutIndex index) {
        List<String> tags = index.tags();
        String hint = tags.isEmpty() ? "the layout has no tags" : "tags in the layout: " + firstTen(tags);
        return new RegctlException(Kind.NOT_FOUND, name + ": tag \"" + tag + "\" not found", hint, null);
    }

    private Set<String> childrenIfIndex(Digest digest) {
        try {
            return LayoutIndex.childDigests(readManifestBlob(new Target(digest.toString(), false, digest, null)));
        } catch (RegctlException e) {
            return Set.of(); // no readable manifest, so no children to look for
        }
    }

    /**
     * The manifest a target names, identified by the target's digest: a sha512 entry's manifest
     * keeps its sha512 digest. The media type is the document's own, else that of its entry.
     */
    private RawManifest readManifest(Target target) {
        byte[] bytes = readManifestBlob(target);
        return RawManifest.of(bytes, target.entry == null ? null : target.entry.mediaType()).identifiedBy(target.digest);
    }

    /** The verified bytes of a manifest blob; NOT_FOUND when missing or not a manifest at all. */
    private byte[] readManifestBlob(Target target) {
        Digest digest = target.digest;
        // A size of 0 is what a missing "size" parses as: unknown, so only the read is bounded.
        long size = target.entry == null ? 0 : target.entry.size();
        if (size > RawManifest.MAX_SIZE) {
            throw notAManifest(digest, "its descriptor says " + size + " bytes, over " + RawManifest.MAX_SIZE / (1024 * 1024) + " MiB");
        }
        byte[] bytes;
        try (InputStream in = size == 0 ? content.openUnsized(digest) : content.open(digest, size)) {
            bytes = in.readNBytes(RawManifest.MAX_SIZE + 1);
            // Anything shorter ended at EOF, where the stream has verified it.
            if (bytes.length > RawManifest.MAX_SIZE) {
                throw notAManifest(digest, "it is over " + RawManifest.MAX_SIZE / (1024 * 1024) + " MiB");
            }
        } catch (NoSuchFileException e) {
            String what = target.byTag
                    ? "tag \"" + target.reference + "\" points at " + digest + ", whose blob is missing"
                    : "manifest " + digest + " not found";
            throw new RegctlException(Kind.NOT_FOUND, name + ": " + what);
        } catch (RefusedFileException e) {
            throw refused(e);
        } catch (IOException e) {
            throw failure(name + ": manifest " + digest + ": " + FileErrors.describe(e), e);
        }
        if (!looksLikeManifest(bytes)) {
            throw notAManifest(digest, "it is not a JSON object with a schemaVersion");
        }
        return bytes;
    }

    private RegctlException notAManifest(Digest digest, String why) {
        return new RegctlException(Kind.NOT_FOUND, name + ": " + digest + " is not a manifest: " + why);
    }

    /**
     * Manifests and indexes of every kind carry a schemaVersion, but for OCI 1.1-rc artifact
     * manifests (ORAS 1.0, notation rc), which name their media type instead; configs and layers do neither.
     */
    private static boolean looksLikeManifest(byte[] bytes) {
        try {
            JsonNode tree = Json.readTree(bytes);
            return tree != null && tree.isObject() && (tree.has("schemaVersion")
                    || MediaTypes.isArtifactManifest(tree.path("mediaType").asText("")));
        } catch (IOException e) {
            return false;
        }
    }

    private LayoutIndex readIndex() {
        try {
            return LayoutIndex.parse(content.index());
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": not an OCI image layout: no " + INDEX_FILE + " file");
        } catch (RefusedFileException e) {
            throw refused(e);
        } catch (IOException e) {
            throw failure(name + ": cannot read " + INDEX_FILE + ": " + FileErrors.describe(e), e);
        }
    }

    /**
     * Applies {@code change} to a fresh read of index.json and, when it reports changes, writes
     * the result atomically. Readers take no lock: the rename shows them the old or the new file.
     */
    private int updateIndex(ToIntFunction<LayoutIndex> change) {
        removeStaleTempFilesOnce();
        synchronized (indexLock) {
            LayoutIndex index = readIndex();
            int changes = change.applyAsInt(index);
            if (changes > 0) {
                try {
                    AtomicFiles.write(indexFile, index.toBytes());
                } catch (IOException e) {
                    throw LocalWriteException.of(name + ": cannot write " + INDEX_FILE, e);
                }
            }
            return changes;
        }
    }

    /**
     * The first write of this store clears what killed or crashed writers left (interrupted
     * ones clean up after themselves), so reruns do not pile up partial files.
     */
    private void removeStaleTempFilesOnce() {
        if (staleTempFilesRemoved.compareAndSet(false, true)) {
            StaleTempFiles.removeFrom(dir);
        }
    }

    private static void checkLayoutFile(String name, Path dir) {
        try {
            JsonNode tree = Json.readTree(LayoutFiles.readAll(dir.resolve(LAYOUT_FILE), MAX_LAYOUT_FILE_BYTES));
            if (tree == null || !tree.path("imageLayoutVersion").isTextual()) {
                throw new RegctlException(Kind.FAILURE,
                        name + ": invalid " + LAYOUT_FILE + " file: no imageLayoutVersion");
            }
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": not an OCI image layout: no " + LAYOUT_FILE + " file");
        } catch (RefusedFileException e) {
            throw refused(name, dir, e);
        } catch (IOException e) {
            throw failure(name + ": invalid " + LAYOUT_FILE + " file: " + FileErrors.describe(e), e);
        }
    }

    /**
     * Checks what a layout being created already has (a valid oci-layout, index.json a regular
     * file, blobs directories that are directories) before anything is written, so a layout
     * that open() would refuse is left exactly as it was found.
     */
    private static void requireUsable(String name, Path dir) throws IOException {
        if (Files.exists(dir.resolve(LAYOUT_FILE), NOFOLLOW_LINKS)) {
            checkLayoutFile(name, dir);
        }
        if (Files.exists(dir.resolve(INDEX_FILE), NOFOLLOW_LINKS)) {
            LayoutFiles.regularFile(dir.resolve(INDEX_FILE));
        }
        Path blobs = dir.resolve("blobs");
        if (Files.exists(blobs, NOFOLLOW_LINKS)) {
            LayoutFiles.directory(blobs);
            if (Files.exists(blobs.resolve("sha256"), NOFOLLOW_LINKS)) {
                LayoutFiles.directory(blobs.resolve("sha256"));
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private RegctlException refused(RefusedFileException e) {
        return refused(name, dir, e);
    }

    /**
     * One line naming the refused path within the layout, a blob by its digest: {@code oci:/x: blob
     * sha256:ab… is not a regular file (a symlink); refusing to read it}.
     */
    private static RegctlException refused(String name, Path dir, RefusedFileException e) {
        Path inLayout = dir.relativize(e.path());
        String what = inLayout.getNameCount() == 3 && inLayout.getName(0).toString().equals("blobs")
                ? "blob " + inLayout.getName(1) + ":" + inLayout.getName(2)
                : inLayout.toString();
        // No cause: an I/O exception behind it would read as a passing failure to the copy's
        // retry, and the layout will not be any different on the next attempt.
        return new RegctlException(Kind.FAILURE, name + ": " + what + " " + e.problem());
    }

    private static RegctlException failure(String message, Throwable cause) {
        return new RegctlException(Kind.FAILURE, message, null, cause);
    }
}
