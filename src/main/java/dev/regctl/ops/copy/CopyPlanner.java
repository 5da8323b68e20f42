package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.image.ManifestWalk;
import dev.regctl.image.ReferrerLookup.Found;
import dev.regctl.image.ReferrerLookup;
import dev.regctl.image.Schema1Layers;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Parallel;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan.BlobStep;
import dev.regctl.ops.copy.CopyPlan.ManifestStep;
import dev.regctl.ops.copy.CopyPlan.ReferrerLink;
import dev.regctl.store.ImageStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides what a copy has to do by asking the target before anything moves: which manifests it
 * lacks (a manifest it has is skipped with everything below it, unless forced), which blobs of
 * the others it lacks, and which of those can be mounted. Every manifest and blob is looked at
 * once however many tags and platforms share it. Reads both stores, writes neither.
 *
 * <p>Work proceeds in rounds, each a flat batch of lookups run in parallel: check the target for
 * the manifests known so far, fetch the children of indexes to be pushed, find referrers; repeat
 * until nothing new turns up; then check tags and blobs. Flat batches rather than nested tasks,
 * so a bounded pool can never wait on itself.
 */
final class CopyPlanner {

    /**
     * A top-level image picked for copying.
     *
     * @param sourceReference the source tag or digest it was fetched by
     * @param sourceDigest    what that reference points to in the source
     * @param top             the manifest to copy (after {@code --platform})
     * @param targetTag       the tag to give it in the target, or null for by digest only
     * @param rewritten       true when {@code top} is a new index made by {@code --platform}
     * @param seen            the tags as looked up when the image was chosen, or null: what the
     *                        target tag held then is not asked again
     */
    record Selection(String sourceReference, Digest sourceDigest, RawManifest top, String targetTag,
                     boolean rewritten, TagState seen) {
    }

    /** One manifest of the plan while it is being worked out. Touched by the planning thread only. */
    private static final class Node {
        final RawManifest manifest;
        /** Whether the target has it; null until asked. */
        Boolean present;
        boolean expanded;
        Digest subject;
        final Set<String> tags = new LinkedHashSet<>();
        /** How many indexes list it above a top-level image or referrer (see {@link ManifestWalk}). */
        final int indexDepth;
        /** How many referrers it is of a referrer of ... a top-level image; 0 for anything else. */
        final int referrerDepth;

        Node(RawManifest manifest, int indexDepth, int referrerDepth) {
            this.manifest = manifest;
            this.indexDepth = indexDepth;
            this.referrerDepth = referrerDepth;
        }
    }

    /** Below this, a plan to run leaves a blob's presence to its upload to find out. */
    static final long UNCHECKED_MAX = 1024 * 1024;

    private final ImageStore source;
    private final ImageStore target;
    private final String mountFrom;
    private final CopyOptions options;
    private final boolean exact;
    private final Function<Digest, RawManifest> fetchChild;

    private final Map<Digest, Node> nodes = new LinkedHashMap<>();
    /** The target's tags when a whole repository is copied, else null (see {@link #checkManifests}). */
    private Set<String> targetTags;
    /**
     * What target tags held when their images were chosen (null: no such tag), handed over by
     * the choice ({@link Selection#seen}) so neither the manifest nor the tag is asked about again.
     */
    private final Map<String, Digest> seenAtTarget = new HashMap<>();
    private final Set<Digest> referrersLookedUp = new HashSet<>();
    private final Map<Digest, List<Descriptor>> referrers = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param exact ask the target about every blob; else small blobs to upload are planned as
     *              {@link BlobAction#UPLOAD_UNLESS_PRESENT}, which saves a request each
     * @param fetchChild the manifests an index to push lists, by digest: the source's, or what
     *                   {@link FormatStep} converted them to
     */
    CopyPlanner(ImageStore source, ImageStore target, String mountFrom, CopyOptions options, boolean exact,
                Function<Digest, RawManifest> fetchChild) {
        this.source = source;
        this.target = target;
        this.mountFrom = mountFrom;
        this.options = options;
        this.exact = exact;
        this.fetchChild = fetchChild;
    }

    /** Adds a line for the plan's warnings: something the copy passes over that the user should hear of. */
    void warn(String warning) {
        synchronized (warnings) {
            warnings.add(warning);
        }
    }

    /**
     * @param targetTags with {@code allTags}, the target's tags as listed (null when it will not
     *                   list them); else null
     */
    CopyPlan plan(String sourceName, String destinationName, boolean allTags, Set<String> targetTags,
                  List<Selection> selections) {
        List<CopyPlan.Image> images = new ArrayList<>();
        source.notice().ifPresent(warnings::add);
        for (Selection s : selections) {
            Node node = node(s.top(), 0, 0);
            if (s.targetTag() != null) {
                node.tags.add(s.targetTag());
                if (s.seen() != null && s.seen().targetKnown()) {
                    seenAtTarget.put(s.targetTag(), s.seen().atTarget());
                }
            }
            images.add(new CopyPlan.Image(s.sourceReference(), s.targetTag(), s.top().digest(), s.sourceDigest(),
                    s.rewritten()));
        }
        if (allTags && !options.force()) {
            this.targetTags = targetTags;
        }
        boolean grew = true;
        while (grew) {
            checkManifests();
            grew = expandIndexes();
            if (options.referrers()) {
                grew |= findReferrers();
            }
        }
        Map<Node, List<String>> tagsPresent = checkTags();
        List<BlobStep> blobs = planBlobs();
        List<ReferrerLink> links = new ArrayList<>();
        referrers.forEach((subject, found) -> links.add(new ReferrerLink(subject, found)));
        return new CopyPlan(sourceName, destinationName, allTags, images, manifestSteps(tagsPresent), blobs, links,
                warnings);
    }

    /** The node of {@code manifest}; a manifest reached again keeps the depths it was first found at. */
    private Node node(RawManifest manifest, int indexDepth, int referrerDepth) {
        return nodes.computeIfAbsent(manifest.digest(), d -> new Node(manifest, indexDepth, referrerDepth));
    }

    private boolean needsPush(Node node) {
        return options.force() || !node.present;
    }

    /**
     * Asks the target for every manifest not yet asked about; {@code --force} asks nothing. In a
     * repository copy, a tagged manifest none of whose tags the target has is taken as missing
     * without asking: pushing it with its tag is needed anyway, and its blobs are still checked
     * one by one, so at worst a manifest the target has under another name is pushed again.
     * That saves a request per tag on a first sync; a rerun still finds what the first moved.
     */
    private void checkManifests() {
        List<Node> unknown = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.present != null) {
                continue;
            }
            if (options.force() || (targetTags != null && !n.tags.isEmpty()
                    && n.tags.stream().noneMatch(targetTags::contains))) {
                n.present = false;
            } else if (n.tags.stream().anyMatch(t -> n.manifest.digest().equals(seenAtTarget.get(t)))) {
                // Seen under one of its tags when the image was chosen.
                n.present = true;
            } else {
                unknown.add(n);
            }
        }
        List<Boolean> present = Parallel.map(unknown, options.jobs(),
                n -> target.headManifest(n.manifest.digest().toString()).isPresent());
        for (int i = 0; i < unknown.size(); i++) {
            unknown.get(i).present = present.get(i);
        }
    }

    /**
     * Fetches the children of indexes to be pushed; true when that added manifests. One round
     * goes one level deeper, so nesting beyond {@link ManifestWalk#MAX_INDEX_DEPTH} ends the plan
     * before anything below it is fetched.
     */
    private boolean expandIndexes() {
        Map<Digest, Descriptor> wanted = new LinkedHashMap<>();
        Map<Digest, Node> parentOf = new HashMap<>();
        for (Node node : List.copyOf(nodes.values())) {
            if (node.expanded || !node.manifest.isIndex()) {
                continue;
            }
            node.expanded = true;
            if (!needsPush(node)) {
                // The target has the index, so it has what the index lists.
                continue;
            }
            if (node.indexDepth >= ManifestWalk.MAX_INDEX_DEPTH) {
                throw ManifestWalk.indexTooDeep(node.manifest.digest(), source.name());
            }
            for (Descriptor child : node.manifest.index().manifests()) {
                if (!nodes.containsKey(child.digest())) {
                    wanted.putIfAbsent(child.digest(), child);
                    parentOf.putIfAbsent(child.digest(), node);
                }
            }
        }
        List<RawManifest> children = Parallel.map(List.copyOf(wanted.values()), options.jobs(),
                d -> fetchChild.apply(d.digest()));
        for (RawManifest child : children) {
            Node parent = parentOf.get(child.digest());
            node(child, parent.indexDepth + 1, parent.referrerDepth);
        }
        return !children.isEmpty();
    }

    /**
     * Finds the referrers of every manifest not yet looked at (and of the children a present
     * index lists), with the cosign tags that name them; true when that added manifests, whose
     * own referrers the next round looks for. A referrer the source lists but no longer has (a
     * tag schema index is kept by clients, and one may have deleted a referrer without updating
     * it) is passed over with a warning: the rest of the copy does not depend on it. The tag
     * schema index itself is not copied: the target's is kept by adding what was copied to what
     * it lists (see {@link CopyExecutor}), so it never names a referrer the source no longer has,
     * nor loses one pushed to the target directly.
     */
    private boolean findReferrers() {
        Set<Digest> subjects = new LinkedHashSet<>();
        for (Node node : nodes.values()) {
            subjects.add(node.manifest.digest());
            if (node.manifest.isIndex()) {
                node.manifest.index().manifests().forEach(d -> subjects.add(d.digest()));
            }
        }
        subjects.removeAll(referrersLookedUp);
        referrersLookedUp.addAll(subjects);
        List<Found> found = Parallel.map(List.copyOf(subjects), options.jobs(),
                subject -> ReferrerLookup.find(source, subject));

        int before = nodes.size();
        Map<Digest, Descriptor> toFetch = new LinkedHashMap<>();
        Map<Digest, Digest> subjectOf = new HashMap<>();
        for (Found f : found) {
            int depth = referrerDepth(f);
            if (!f.referrers().isEmpty()) {
                referrers.put(f.subject(), f.referrers());
            }
            for (Descriptor d : f.referrers()) {
                Node known = nodes.get(d.digest());
                if (known == null) {
                    toFetch.putIfAbsent(d.digest(), d);
                    subjectOf.putIfAbsent(d.digest(), f.subject());
                } else if (known.subject == null) {
                    known.subject = f.subject();
                }
            }
            f.tagged().forEach((tag, manifest) -> {
                Node node = node(manifest, 0, depth);
                node.tags.add(tag);
                // A cosign tag's manifest often has no subject field, but it is a referrer all the
                // same: it goes after what it signs.
                if (node.subject == null && !node.manifest.digest().equals(f.subject())) {
                    node.subject = f.subject();
                }
            });
        }
        Map<Digest, String> unavailable = new java.util.concurrent.ConcurrentHashMap<>();
        List<Optional<RawManifest>> fetched = Parallel.map(List.copyOf(toFetch.values()), options.jobs(),
                d -> fetchReferrer(d, unavailable));
        Set<Digest> missing = new HashSet<>();
        int i = 0;
        for (Descriptor d : toFetch.values()) {
            if (fetched.get(i++).isEmpty()) {
                missing.add(d.digest());
                String type = d.mediaType() == null ? "of no media type" : d.mediaType();
                String artifact = d.artifactType() == null ? "" : ", artifactType " + d.artifactType();
                warnings.add(source.name() + " lists " + d.digest() + " (" + type + artifact + ") as a referrer of "
                        + subjectOf.get(d.digest()) + ", but cannot give it: " + unavailable.get(d.digest()) + "; not copied");
            }
        }
        if (!missing.isEmpty()) {
            referrers.replaceAll((subject, list) -> list.stream().filter(d -> !missing.contains(d.digest())).toList());
            referrers.values().removeIf(List::isEmpty);
        }
        for (RawManifest manifest : fetched.stream().flatMap(Optional::stream).toList()) {
            Digest subject = subjectOf.get(manifest.digest());
            node(manifest, 0, nodes.containsKey(subject) ? nodes.get(subject).referrerDepth + 1 : 1).subject = subject;
        }
        return nodes.size() > before;
    }

    /**
     * The referrer {@code listed} names, or empty when the source cannot give it (deleted behind a
     * stale tag schema index, or a manifest the source cannot read), the reason put in {@code why}
     * for the warning that names it: a referrer is never dropped without a word.
     */
    private Optional<RawManifest> fetchReferrer(Descriptor listed, Map<Digest, String> why) {
        try {
            return Optional.of(source.fetchManifest(listed.digest()));
        } catch (RegctlException e) {
            if (e.kind() != RegctlException.Kind.NOT_FOUND) {
                throw e;
            }
            why.put(listed.digest(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * How deep the referrers found for a subject stand: one below the subject. A subject that is
     * not a node (a child of an index the target has) is a top-level image's.
     *
     * @throws RegctlException when that is beyond {@link ManifestWalk#MAX_REFERRER_DEPTH}
     */
    private int referrerDepth(Found f) {
        Node subject = nodes.get(f.subject());
        int depth = (subject == null ? 0 : subject.referrerDepth) + 1;
        if (depth > ManifestWalk.MAX_REFERRER_DEPTH && (!f.referrers().isEmpty() || !f.tagged().isEmpty())) {
            Digest first = !f.referrers().isEmpty() ? f.referrers().get(0).digest()
                    : f.tagged().values().iterator().next().digest();
            throw ManifestWalk.referrersTooDeep(first, source.name());
        }
        return depth;
    }

    /** For manifests the target has, which of their tags already point at them. */
    private Map<Node, List<String>> checkTags() {
        record TagCheck(Node node, String tag) {
        }
        List<TagCheck> checks = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (!needsPush(node)) {
                node.tags.forEach(t -> checks.add(new TagCheck(node, t)));
            }
        }
        List<Boolean> right = Parallel.map(checks, options.jobs(), c -> (seenAtTarget.containsKey(c.tag())
                ? Optional.ofNullable(seenAtTarget.get(c.tag())) : target.headManifest(c.tag()).map(Descriptor::digest))
                .map(d -> d.equals(c.node().manifest.digest())).orElse(false));
        Map<Node, List<String>> present = new HashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            if (right.get(i)) {
                present.computeIfAbsent(checks.get(i).node(), n -> new ArrayList<>()).add(checks.get(i).tag());
            }
        }
        return present;
    }

    /** The configs and layers of the image manifests to push, each once, checked against the target. */
    private List<BlobStep> planBlobs() {
        Map<Digest, Descriptor> wanted = new LinkedHashMap<>();
        for (Node node : nodes.values()) {
            if (!needsPush(node) || node.manifest.isIndex()) {
                continue;
            }
            Manifest m = node.manifest.manifest();
            if (m.config() != null) {
                wanted.putIfAbsent(m.config().digest(), m.config());
            }
            for (Descriptor layer : node.manifest.isSchema1() ? Schema1Layers.of(source, node.manifest) : m.layers()) {
                if (!isNonDistributable(layer)) {
                    wanted.putIfAbsent(layer.digest(), layer);
                }
            }
        }
        return Parallel.map(List.copyOf(wanted.values()), options.jobs(), blob -> {
            blob.digest(); // validates before the digest goes into a URL or a path
            if (!exact && mountFrom == null && blob.size() < UNCHECKED_MAX) {
                return new BlobStep(blob, BlobAction.UPLOAD_UNLESS_PRESENT, null);
            }
            if (target.hasBlob(blob)) {
                return new BlobStep(blob, BlobAction.SKIP, null);
            }
            return mountFrom != null ? new BlobStep(blob, BlobAction.MOUNT, mountFrom) : new BlobStep(blob, BlobAction.UPLOAD, null);
        });
    }

    /**
     * Foreign (Windows base) layers live at their {@code urls}, not in the registry, which
     * accepts manifests without them; like docker and skopeo, copy leaves them where they are.
     */
    private static boolean isNonDistributable(Descriptor layer) {
        return MediaTypes.isNonDistributable(layer.mediaType());
    }

    /** One step per manifest, ordered so that nothing is pushed before what it references. */
    private List<ManifestStep> manifestSteps(Map<Node, List<String>> tagsPresent) {
        Map<Digest, Integer> levels = ManifestWalk.levels(nodes.keySet(), this::pushedBefore, source.name());
        List<ManifestStep> steps = new ArrayList<>();
        for (Node node : nodes.values()) {
            List<String> present = tagsPresent.getOrDefault(node, List.of());
            List<String> toMove = node.tags.stream().filter(t -> !present.contains(t)).toList();
            steps.add(new ManifestStep(node.manifest, levels.get(node.manifest.digest()), needsPush(node), toMove, present,
                    node.subject));
        }
        steps.sort(Comparator.comparingInt(ManifestStep::level)); // stable: plan order within a level
        return steps;
    }

    /** What must be pushed before {@code digest}: the children of an index, and the subject of a referrer. */
    private List<Digest> pushedBefore(Digest digest) {
        Node node = nodes.get(digest);
        List<Digest> before = new ArrayList<>();
        if (node.manifest.isIndex()) {
            for (Descriptor child : node.manifest.index().manifests()) {
                if (nodes.containsKey(child.digest())) {
                    before.add(child.digest());
                }
            }
        }
        if (node.subject != null && nodes.containsKey(node.subject)) {
            before.add(node.subject);
        }
        return before;
    }
}
