package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.image.PlatformSelection;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.ManifestFormat;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.Reference;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.oci.Tag;
import dev.regctl.ops.Parallel;
import dev.regctl.ops.Session;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlanner.Selection;
import dev.regctl.store.ImageStore;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Copies an image, an index (all platforms or some) or every tag of a repository from one
 * {@link ImageStore} to another, so registry→registry, registry↔layout and layout→layout are one
 * piece of code. {@link #plan} looks (and writes nothing); {@link #execute} moves what the plan
 * says is missing, digest-exact: manifests are pushed as the bytes fetched, except for the new
 * index {@code --platform} makes when it keeps several platforms of an index, and what
 * {@code --format} converts (see {@link FormatStep}).
 *
 * <pre>{@code
 * try (Copier copier = Copier.open(session, request, options)) {
 *     CopyPlan plan = copier.plan(request);
 *     CopyResult result = copier.execute(plan, CopyListener.NONE);
 * }
 * }</pre>
 */
public final class Copier implements AutoCloseable {
    private static final String DOCKER_TYPES = "application/vnd.docker.";
    private static final String STORE_HINT = "copy it to a registry that takes it (a distribution 2.x registry"
            + " with compatibility.schema1.enabled: true), or convert it first (e.g. skopeo copy --format v2s2)";
    private final ImageStore source;
    private final ImageStore target;
    private final String mountFrom;
    private final CopyOptions options;
    private final BlobTransfer.Backoff backoff;
    private long started;
    /** The stores {@link #open} opened, which closing this closes; null when the caller owns them. */
    private CopyStores ownsStores;
    private boolean recordSourceDigest;
    private Predicate<String> tagFilter = tag -> true;
    private BlobLedger.Target ledger;
    private TransferSlots slots;
    private FormatStep formats;

    /** A copier for {@code request}, with its source and destination opened through {@code session}; closing it closes them. */
    public static Copier open(Session session, CopyRequest request, CopyOptions options) {
        CopyStores stores = CopyStores.open(session, request.source(), request.destination());
        Copier copier = new Copier(stores.source(), stores.target(), options);
        copier.ownsStores = stores;
        return copier;
    }

    /** A copier between two opened stores, mounting blobs where the target can take them from the source. */
    public Copier(ImageStore source, ImageStore target, CopyOptions options) {
        this(source, target, target.mountFrom(source), options);
    }

    /**
     * @param mountFrom the source repository when source and target are repositories of the same
     *                  registry (blobs are then mounted, not uploaded), else null
     */
    public Copier(ImageStore source, ImageStore target, String mountFrom, CopyOptions options) {
        this(source, target, mountFrom, options, BlobTransfer.EXPONENTIAL);
    }

    Copier(ImageStore source, ImageStore target, String mountFrom, CopyOptions options, BlobTransfer.Backoff backoff) {
        this.source = source;
        this.target = target;
        this.mountFrom = mountFrom;
        this.options = options;
        this.backoff = backoff;
    }

    /**
     * Makes {@code --platform} keep an index even for one platform, annotated with the source
     * index's digest ({@link PlatformSelection#SOURCE_DIGEST}): sync's rerun then sees the copy is
     * current from a HEAD to the source, where a bare child would say nothing of where it came from.
     */
    public Copier recordingSourceDigest() {
        this.recordSourceDigest = true;
        return this;
    }

    /**
     * Makes this copy one of several in a run (a sync): blobs moved into the target's registry by
     * the others are mounted or found rather than moved again, see {@link BlobLedger}, and the
     * run's {@code slots} bound its transfers together with theirs.
     */
    public Copier sharing(BlobLedger.Target ledger, TransferSlots slots) {
        this.ledger = ledger;
        this.slots = slots;
        return this;
    }

    /** With {@code --all-tags}, copies only the tags {@code filter} accepts ({@code --filter}). */
    public Copier onlyTags(Predicate<String> filter) {
        this.tagFilter = filter;
        return this;
    }

    /**
     * Resolves SRC and DST and decides every step, asking both stores but writing to neither:
     * what {@code --dry-run} shows, every blob looked up.
     */
    public CopyPlan plan(CopyRequest request) {
        return plan(request, null, true);
    }

    /**
     * As {@link #plan}, but blobs under a mebibyte that would be uploaded are not looked up:
     * their upload finds out whether the target has them, one request instead of two each.
     */
    public CopyPlan planToRun(CopyRequest request) {
        return plan(request, null, false);
    }

    /**
     * As {@link #planToRun}, for an image the caller has chosen already ({@link ImageChoice#of}):
     * nothing is resolved again, and what the choice saw of the tags is not asked again.
     */
    public CopyPlan planToRun(ImageChoice choice) {
        return plan(new CopyRequest(choice.source(), choice.destination(), false), choice, false);
    }

    private CopyPlan plan(CopyRequest request, ImageChoice chosen, boolean exact) {
        started = System.nanoTime();
        try {
            requireFormatFits(request.destination());
            formats = new FormatStep(source, options.format(), options.jobs());
            CopyPlanner planner = new CopyPlanner(source, target, mountFrom, options, exact, formats::child);
            if (request.allTags()) {
                TagLists lists = TagLists.read(source, target);
                // With --referrers the target's referrers index is built from what is copied (stale entries
                // warned about), so the source's own index is not copied as if it were an image.
                List<String> tags = lists.atSource().stream().filter(tagFilter)
                        .filter(t -> !(options.referrers() && ReferrerTags.isFallback(t))).toList();
                if (options.format() != null) {
                    tags = leaveOutReferrerTags(tags, planner);
                }
                if (tags.isEmpty()) {
                    throw new RegctlException(RegctlException.Kind.NOT_FOUND, source.name() + " has no tags"
                            + (lists.atSource().isEmpty() ? "" : " that --filter takes"));
                }
                requireTargetCanHold(tags);
                Set<String> targetTags = lists.atTarget();
                List<Selection> selections = Parallel.map(tags, options.jobs(), tag -> selectTag(tag, targetTags));
                return withLayoutNote(request.destination(),
                        planner.plan(source.name(), target.name(), true, targetTags, selections));
            }
            ImageChoice choice = chosen != null ? chosen : ImageChoice.of(request, source);
            Selection selection = select(choice);
            return withLayoutNote(request.destination(), planner.plan(choice.sourceName(),
                    choice.destinationName(selection.top().digest()), false, null, List.of(selection)));
        } catch (RuntimeException e) {
            throw Failures.copy(request.source().toString(), request.destination().toString(), e);
        }
    }

    /** Carries out the plan; {@code listener} hears about each blob as it moves. */
    public CopyResult execute(CopyPlan plan, CopyListener listener) {
        if (started == 0) {
            started = System.nanoTime();
        }
        CopyExecutor.Outcome outcome;
        listener.started(plan);
        try {
            outcome = new CopyExecutor(source, target, options.jobs(), listener, backoff,
                    ledger != null ? ledger : BlobLedger.unshared(),
                    slots != null ? slots : new TransferSlots(options.jobs())).run(plan);
            commit();
        } catch (RuntimeException e) {
            throw Failures.copy(plan.source(), plan.destination(), e);
        } finally {
            listener.finished();
        }
        double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1e3;
        List<CopyResult.Image> images = plan.images().stream().map(i -> new CopyResult.Image(i.source(), i.tag(),
                i.digest().toString(), i.sourceDigest().toString(), i.digestChanged(), source.servedBy(i.source())))
                .toList();
        return new CopyResult(plan.source(), plan.destination(), plan.allTags() ? null : images.get(0).digest(),
                images.stream().anyMatch(CopyResult.Image::digestChanged), outcome.manifestsPushed(),
                new CopyResult.Blobs(outcome.uploaded(), outcome.mounted(), plan.count(BlobAction.SKIP) + outcome.found()),
                outcome.bytes(), seconds, plan.tags(), images);
    }

    /** Writes what the target keeps until the end (a layout's index, an archive): the manifests' last step. */
    private void commit() {
        try {
            target.commit();
        } catch (RuntimeException e) {
            throw new StepFailed(CopyStep.MANIFEST, null, e);
        }
    }

    /**
     * One tag of a repository copy. A tag the target already has at the digest the source's HEAD
     * reports is taken from the target ({@link TagState#unchanged}, as sync decides), so an
     * unchanged tag costs the source a HEAD and no pull (Docker Hub counts GETs, not HEADs). Not
     * with {@code --platform} or {@code --format}, whose image differs from the source's by design,
     * nor {@code --force}, which wants the source's copy.
     */
    private Selection selectTag(String tag, Set<String> targetTags) {
        if (options.platforms().isEmpty() && options.format() == null && !options.force() && targetTags != null
                && targetTags.contains(tag)) {
            // A GET, not a HEAD, on the target: the planner needs the manifest itself, and the target is ours.
            TagState seen = TagState.look(source, tag, target, tag, targetTags, true);
            if (seen.unchanged()) {
                return new Selection(tag, seen.held().digest(), seen.held(), tag, false, seen);
            }
            return select(ImageChoice.ofTag(tag, seen));
        }
        return select(ImageChoice.ofTag(tag, null));
    }

    /**
     * Refuses, before anything is read or written, tags the target cannot hold: a layout's
     * {@code ref.name} such as {@code ../../other/manifests/latest} is no registry tag.
     */
    private void requireTargetCanHold(List<String> tags) {
        List<String> refused = tags.stream().filter(t -> !target.canHoldTag(t)).toList();
        if (!refused.isEmpty()) {
            throw new RegctlException(RegctlException.Kind.FAILURE, source.name() + " has " + refused.size()
                    + (refused.size() == 1 ? " tag " : " tags ") + target.name() + " cannot hold: "
                    + refused.stream().limit(3).map(Tag::quote).collect(java.util.stream.Collectors.joining(", "))
                    + (refused.size() > 3 ? ", ..." : ""),
                    "a registry tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-';"
                            + " copy the others one by one", null);
        }
    }


    /**
     * Reads the image {@code choice} names and decides what is written. {@code --platform} picks
     * from an index, and a single image must be of the platforms asked for (a CI job mirroring
     * arm64 never silently gets amd64), unless the choice is a referrer tag.
     */
    private Selection select(ImageChoice choice) {
        String reference = choice.sourceReference();
        RawManifest fetched = source.fetchManifest(reference);
        if (choice.checkTag() != null) {
            checkTagPointsAt(choice.checkTag(), fetched.digest());
        }
        RawManifest top = fetched;
        if (choice.byPlatform() && !options.platforms().isEmpty()) {
            String what = Reference.join(source.name(), reference);
            if (!fetched.isIndex()) {
                PlatformSelection.requireImageFor(fetched, options.platforms(), source, what);
            } else {
                top = recordSourceDigest ? PlatformSelection.selectRecorded(fetched, options.platforms(), what)
                        : PlatformSelection.select(fetched, options.platforms(), source, what);
            }
        }
        RawManifest written = formats.apply(top, Reference.join(source.name(), reference));
        if (!target.canStore(written)) {
            throw new RegctlException(RegctlException.Kind.UNSUPPORTED, target.name() + " cannot hold "
                    + Reference.join(source.name(), reference) + ", a " + written.mediaType() + " manifest; nothing was copied", STORE_HINT, null);
        }
        Digest targetDigest = choice.targetDigest();
        if (targetDigest != null && !targetDigest.equals(written.digest())) {
            throw new RegctlException(RegctlException.Kind.USAGE, "the destination names digest " + targetDigest
                    + " but the manifest to copy is " + written.digest(), "drop the digest from DST", null);
        }
        return new Selection(reference, fetched.digest(), written, choice.targetTag(),
                PlatformSelection.rewritten(fetched, top) || !written.digest().equals(top.digest()), choice.seen());
    }

    /**
     * A docker archive stores configs and layers, not manifests: what it is read back as is
     * always Docker schema 2, so {@code --format oci} there would promise what it cannot keep.
     */
    private void requireFormatFits(ImageRef destination) {
        if (options.format() == ManifestFormat.OCI && destination.onlyFormat().filter(f -> f != ManifestFormat.OCI).isPresent()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--format oci: " + destination
                    + " is a docker archive, which holds Docker schema 2 images only",
                    "write an OCI archive (oci-archive:PATH) or layout (oci:PATH), or leave out --format", null);
        }
    }

    /**
     * With {@code --format}, a repository's referrer tags ({@code sha256-<hex>}, cosign's
     * {@code .sig}, {@code .att}, {@code .sbom}) are left out, with a warning: they are about the
     * source's digests, which the converted images no longer have.
     */
    private List<String> leaveOutReferrerTags(List<String> tags, CopyPlanner planner) {
        List<String> referrerTags = tags.stream().filter(ReferrerTags::isReferrerTag).toList();
        if (referrerTags.isEmpty()) {
            return tags;
        }
        planner.warn(referrerTags.size() + (referrerTags.size() == 1 ? " referrer tag" : " referrer tags") + " not copied (" + String.join(", ",
                referrerTags.stream().limit(3).toList()) + (referrerTags.size() > 3 ? ", ..." : "")
                + "): they name the source's digests, which --format changes");
        return tags.stream().filter(t -> !ReferrerTags.isReferrerTag(t)).toList();
    }

    /**
     * The plan with a note when it writes Docker-typed images into an OCI layout or archive
     * without {@code --format}: digest-exact, but skopeo, buildah and podman skip such
     * {@code index.json} entries when they look a tag up.
     */
    private CopyPlan withLayoutNote(ImageRef destination, CopyPlan plan) {
        if (options.format() != null || !destination.isOciLayout()) {
            return plan;
        }
        Set<Digest> tops = new HashSet<>();
        plan.images().forEach(i -> tops.add(i.digest()));
        List<String> dockerTypes = plan.manifests().stream().map(CopyPlan.ManifestStep::manifest)
                .filter(m -> tops.contains(m.digest()) && m.mediaType().startsWith(DOCKER_TYPES))
                .map(RawManifest::mediaType).distinct().toList();
        if (dockerTypes.isEmpty()) {
            return plan;
        }
        return plan.noting(destination + " gets Docker media types (" + String.join(", ", dockerTypes) + "), whose"
                + " index.json entries skopeo, buildah and podman skip when they look a tag up; --format oci"
                + " converts them (new digests)");
    }

    /** SRC gave tag and digest: the digest is copied, but only while the tag still names it. */
    private void checkTagPointsAt(String tag, Digest digest) {
        Optional<Descriptor> tagged = source.headManifest(tag);
        if (tagged.isEmpty()) {
            throw new RegctlException(RegctlException.Kind.FAILURE, source.name() + ":" + tag
                    + " no longer exists, so it cannot be checked against " + digest,
                    "copy by digest alone to copy it anyway", null);
        }
        if (!tagged.get().digest().equals(digest)) {
            throw new RegctlException(RegctlException.Kind.FAILURE, source.name() + ":" + tag + " points to "
                    + tagged.get().digest() + ", not " + digest + " as given",
                    "copy by digest alone, or by tag alone to copy what the tag names now", null);
        }
    }

    /** Closes the stores {@link #open} opened. */
    @Override
    public void close() {
        if (ownsStores != null) {
            ownsStores.close();
        }
    }

}
