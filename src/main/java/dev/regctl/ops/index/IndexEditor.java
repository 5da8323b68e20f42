package dev.regctl.ops.index;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.image.ImageLookup;
import dev.regctl.oci.Attestations;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.ManifestFormat;
import dev.regctl.oci.Platform;
import dev.regctl.oci.PlatformMatcher;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Parallel;
import dev.regctl.ops.Session;
import dev.regctl.ops.copy.BlobLedger;
import dev.regctl.ops.copy.Copier;
import dev.regctl.ops.copy.CopyListener;
import dev.regctl.ops.copy.CopyOptions;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan;
import dev.regctl.ops.copy.CopyRequest;
import dev.regctl.ops.copy.CopyResult;
import dev.regctl.ops.copy.TargetTag;
import dev.regctl.ops.copy.TransferSlots;
import dev.regctl.store.ImageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes and edits multi-platform indexes ({@code index create|add|remove}). The index is built as
 * a value first ({@link IndexPlan}); running it copies the new children's content into TARGET's
 * repository with the copy engine, side by side (mounted, skipped or uploaded, digest-exact, at
 * most {@code -j} blob transfers at once), then pushes the index, then the tag: nothing is pushed
 * before what it references.
 */
public final class IndexEditor implements AutoCloseable {
    private final Session session;
    private final int jobs;
    private final Map<String, ImageStore> stores = new LinkedHashMap<>();

    public IndexEditor(Session session, int jobs) {
        this.session = session;
        this.jobs = jobs;
    }

    /** A new index of {@code sources} for {@code target}. */
    public IndexPlan create(ImageRef target, List<ImageRef> sources, List<Platform> platforms,
                            Map<String, String> annotations, ManifestFormat format) {
        String tag = tagOf(target);
        List<IndexEntry> entries = entriesOf(sources, platforms);
        String mediaType = format == ManifestFormat.V2S2 ? ManifestFormat.V2S2.indexType() : ManifestFormat.OCI.indexType();
        return new IndexPlan(target, tag, IndexDocument.create(mediaType, entries, annotations), entries);
    }

    /** TARGET's index with the entries of {@code sources} added; an entry of the same platform or digest is replaced. */
    public IndexPlan add(ImageRef target, List<ImageRef> sources, List<Platform> platforms) {
        String tag = tagOf(target);
        RawManifest existing = existingIndex(target);
        List<IndexEntry> added = entriesOf(sources, platforms);
        Set<Digest> replaced = new HashSet<>();
        for (IndexEntry current : existingEntries(existing)) {
            if (added.stream().anyMatch(a -> a.descriptor().digest().equals(current.descriptor().digest())
                    || a.platform() != null && a.platform().equals(current.platform())
                    && !Attestations.isAttestation(current.descriptor()))) {
                replaced.add(current.descriptor().digest());
            }
        }
        List<IndexEntry> entries = new ArrayList<>(without(existingEntries(existing), replaced));
        entries.addAll(added);
        return new IndexPlan(target, tag, IndexDocument.replacing(existing, entries), entries);
    }

    /**
     * TARGET's index without the entries of {@code platforms} and {@code digests}, and without the
     * attestations that describe them.
     *
     * @throws RegctlException NOT_FOUND when one names no entry, USAGE when none would be left
     */
    public IndexPlan remove(ImageRef target, List<Platform> platforms, List<Digest> digests) {
        String tag = tagOf(target);
        RawManifest existing = existingIndex(target);
        List<IndexEntry> current = existingEntries(existing);
        Set<Digest> dropped = new HashSet<>();
        for (Platform p : platforms) {
            // The platform itself, not an older variant that would run there (rank 0, not the best rank):
            // with containerd's os.version rule, windows(10.0.20348)/amd64 names that build whatever its patch.
            List<Digest> found = current.stream().filter(e -> PlatformMatcher.rank(p, e.platform()) == 0)
                    .map(e -> e.descriptor().digest()).toList();
            if (found.isEmpty()) {
                throw notListed(target, "image for " + p, current);
            }
            dropped.addAll(found);
        }
        for (Digest d : digests) {
            if (current.stream().noneMatch(e -> e.descriptor().digest().equals(d))) {
                throw notListed(target, d.toString(), current);
            }
            dropped.add(d);
        }
        List<IndexEntry> left = without(current, dropped);
        if (left.stream().allMatch(e -> Attestations.isAttestation(e.descriptor()))) {
            throw new RegctlException(RegctlException.Kind.USAGE, target + ": removing these would leave the index no image",
                    "delete the tag instead: regctl delete " + target, null);
        }
        return new IndexPlan(target, tag, IndexDocument.replacing(existing, left), left);
    }

    /** Looks up what running {@code plan} would move, writing nothing. */
    public IndexResult dryRun(IndexPlan plan) {
        return run(plan, true);
    }

    /** Copies each new child's content into TARGET's repository, then pushes the index under its tag. */
    public IndexResult execute(IndexPlan plan) {
        return run(plan, false);
    }

    private IndexResult run(IndexPlan plan, boolean dryRun) {
        ImageStore target = store(plan.target(), Session.Access.CREATE);
        List<IndexEntry> sourced = plan.entries().stream().filter(e -> e.source() != null).toList();
        CopyOptions options = new CopyOptions(List.of(), false, false, jobs);
        // The children side by side, as sync copies its images: -j blob transfers at most in all,
        // and a blob two children share moves once (the second finds it in the ledger).
        BlobLedger.Target ledger = new BlobLedger().target(target);
        TransferSlots slots = new TransferSlots(jobs);
        Moved moved = Parallel.map(sourced, jobs, e -> copy(e, plan.target(), target, options, dryRun, ledger, slots))
                .stream().reduce(Moved.NOTHING, Moved::plus);
        if (!dryRun) {
            target.putManifest(plan.index(), plan.tag());
            target.commit();
        }
        List<IndexResult.Child> children = plan.entries().stream().map(e -> new IndexResult.Child(
                e.descriptor().digest().toString(), e.descriptor().mediaType(),
                e.descriptor().platform() == null ? null : e.descriptor().platform().toString(),
                e.source() == null ? null : e.from())).toList();
        return new IndexResult(plan.target().withTag(plan.tag()).toString(), plan.index().digest().toString(),
                plan.index().mediaType(), dryRun, moved.manifests() + 1, moved.blobs(), moved.bytes(), children);
    }

    /** Copies (or, for a dry run, plans) one child's content into TARGET's repository. */
    private Moved copy(IndexEntry e, ImageRef targetRef, ImageStore target, CopyOptions options, boolean dryRun,
                       BlobLedger.Target ledger, TransferSlots slots) {
        Digest digest = e.descriptor().digest();
        // Read by digest, so a tag moved since the plan cannot swap the child. A docker archive names no
        // manifest by digest: its image is read as SRC named it, and the copy to TARGET@DIGEST refuses
        // one that no longer builds to the manifest the index lists.
        ImageRef from = e.source().namesManifestsByDigest() ? e.source().withDigestOnly(digest) : e.source();
        CopyRequest request = new CopyRequest(from, targetRef.withDigestOnly(digest), false);
        Copier copier = new Copier(store(e.source(), Session.Access.READ), target, options).sharing(ledger, slots);
        if (dryRun) {
            CopyPlan copy = copier.plan(request);
            return new Moved(copy.manifestsToPush(), new CopyResult.Blobs(copy.count(BlobAction.UPLOAD),
                    copy.count(BlobAction.MOUNT), copy.count(BlobAction.SKIP)), copy.bytes(BlobAction.UPLOAD));
        }
        CopyResult copied = copier.execute(copier.planToRun(request), CopyListener.NONE);
        return new Moved(copied.manifests(), copied.blobs(), copied.bytes());
    }

    /** What the copies of the children moved (or would), added up. */
    private record Moved(int manifests, CopyResult.Blobs blobs, long bytes) {
        static final Moved NOTHING = new Moved(0, new CopyResult.Blobs(0, 0, 0), 0);

        Moved plus(Moved other) {
            return new Moved(manifests + other.manifests, new CopyResult.Blobs(blobs.uploaded() + other.blobs.uploaded(),
                    blobs.mounted() + other.blobs.mounted(), blobs.skipped() + other.blobs.skipped()), bytes + other.bytes);
        }
    }

    private List<IndexEntry> entriesOf(List<ImageRef> sources, List<Platform> platforms) {
        List<IndexEntry> entries = new ArrayList<>();
        for (ImageRef source : sources) {
            entries.addAll(SourceEntries.of(store(source, Session.Access.READ), source, platforms));
        }
        return entries;
    }

    private RawManifest existingIndex(ImageRef target) {
        ImageStore store = store(target, Session.Access.CREATE);
        RawManifest existing = store.fetchManifest(ImageLookup.reference(target, store));
        if (!existing.isIndex()) {
            throw new RegctlException(RegctlException.Kind.USAGE, target + " is one image, not an index",
                    "make an index of it and more: regctl index create " + target + " " + target + " SRC...", null);
        }
        return existing;
    }

    private static List<IndexEntry> existingEntries(RawManifest index) {
        List<Descriptor> listed = index.index().manifests();
        JsonNode json;
        try {
            json = Json.readTree(index.bytes()).path("manifests");
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "index " + index.digest() + ": " + e.getMessage(), null, e);
        }
        List<IndexEntry> entries = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            Descriptor d = listed.get(i);
            entries.add(new IndexEntry(d, json.get(i), null,
                    d.digest() + (d.platform() == null ? "" : " (" + d.platform() + ")")));
        }
        return entries;
    }

    /** {@code entries} without {@code dropped}, nor the attestations that describe a dropped image. */
    private static List<IndexEntry> without(List<IndexEntry> entries, Set<Digest> dropped) {
        return entries.stream().filter(e -> !dropped.contains(e.descriptor().digest()))
                .filter(e -> !describesOneOf(e.descriptor(), dropped)).toList();
    }

    private static boolean describesOneOf(Descriptor entry, Set<Digest> images) {
        if (!Attestations.isAttestation(entry) || entry.annotations() == null) {
            return false;
        }
        String about = entry.annotations().get(Attestations.REFERENCE_DIGEST);
        return about != null && images.stream().anyMatch(d -> d.toString().equals(about));
    }

    private static RegctlException notListed(ImageRef target, String what, List<IndexEntry> current) {
        return new RegctlException(RegctlException.Kind.NOT_FOUND, target + " lists no " + what + "; it lists "
                + String.join(", ", current.stream().map(IndexEntry::from).toList()));
    }

    /**
     * The tag the index is pushed under: a registry's tag ({@code latest} when none is given), a
     * layout's {@code oci:DIR:TAG}. A digest cannot name what is not built yet, and an archive is
     * written whole by one copy, not added to.
     */
    private static String tagOf(ImageRef target) {
        if (target.digest() != null) {
            throw new RegctlException(RegctlException.Kind.USAGE, "TARGET " + target + " names a digest: give a tag,"
                    + " which the index is pushed under");
        }
        if (target.writtenWhole()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "TARGET " + target + " is an archive, which an index is"
                    + " not written into", "write to a registry or an OCI layout (oci:DIR:TAG), then copy it into an archive", null);
        }
        // A copy's rule for a source without a name of its own (see TargetTag): latest in a registry, none in a layout.
        String tag = TargetTag.ofCopy(target, null);
        if (tag == null) {
            // A registry's is latest; a layout holds many images and is given no default.
            throw new RegctlException(RegctlException.Kind.USAGE, "TARGET " + target + " needs a tag: oci:DIR:TAG");
        }
        return tag;
    }

    /** One store per repository, layout or archive, opened on first use (by whichever child's copy comes first). */
    private synchronized ImageStore store(ImageRef ref, Session.Access access) {
        String key = access + " " + ref.withDigestOnly(null);
        ImageStore store = stores.get(key);
        if (store == null) {
            store = session.open(ref, access);
            stores.put(key, store);
        }
        return store;
    }

    @Override
    public void close() {
        RuntimeException failed = null;
        for (ImageStore s : stores.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
