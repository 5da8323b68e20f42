package dev.regctl.ops.append;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Attestations;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.LayoutReference;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Session;
import dev.regctl.ops.copy.Copier;
import dev.regctl.ops.copy.CopyFailure;
import dev.regctl.ops.copy.CopyListener;
import dev.regctl.ops.copy.CopyOptions;
import dev.regctl.ops.copy.CopyPlan;
import dev.regctl.ops.copy.CopyRequest;
import dev.regctl.ops.copy.CopyResult;
import dev.regctl.ops.copy.CopyStep;
import dev.regctl.ops.copy.TargetTag;
import dev.regctl.store.ImageStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code regctl append}: puts local files onto every platform of BASE as new layers and edits
 * each config, then pushes the result as TARGET. The files are copied first into a private
 * scratch directory ({@link SourceSnapshot}). Registry traffic is regctl's own copy engine at
 * both ends: BASE's manifests (the platforms asked for) are copied into a scratch OCI layout,
 * each image is built there by the {@link ImageBuilder} (Jib core, on local files only), a
 * multi-platform BASE gets a new index of the new images, and the result is copied to TARGET:
 * blobs, then images, then the index, then the tag. A failure before that last copy leaves
 * TARGET untouched. BASE's blobs stay where they are ({@link LayoutOverBase}): none is written
 * to the scratch directory, and each kept layer goes from BASE to TARGET once, or is mounted.
 */
public final class Appender {
    /** The layer types Jib can take from a local base without recompressing, and so without changing their digests. */
    private static final Set<String> GZIP_LAYERS = Set.of(MediaTypes.OCI_LAYER_GZIP, MediaTypes.DOCKER_LAYER_GZIP);
    private static final Set<String> IMAGE_CONFIGS = Set.of(MediaTypes.OCI_CONFIG, MediaTypes.DOCKER_CONFIG);
    private static final String BASE_TAG = "base";

    private final Session session;
    private final ImageBuilder builder;
    private final int jobs;

    public Appender(Session session, ImageBuilder builder, int jobs) {
        this.session = session;
        this.builder = builder;
        this.jobs = jobs;
    }

    /**
     * @param platforms of a multi-platform BASE, the ones to keep (empty: all); one alone gives a single image
     */
    public AppendResult append(ImageRef base, ImageRef target, Changes changes, List<Platform> platforms, boolean dryRun) {
        if (changes.isEmpty()) {
            // The image would come back the same but for a config rewritten with a 1970 creation time.
            throw new RegctlException(RegctlException.Kind.USAGE, "append: nothing to change: give --add, or a config"
                    + " option (--env, --label, --entrypoint, --cmd, --user, --workdir, --expose, --created)",
                    "to copy BASE as it is, use regctl copy", null);
        }
        String tag = targetTag(target);
        try (ScratchDirectory scratch = ScratchDirectory.create()) {
            // Read before the pull, and once: what Jib puts in the layers is what was checked.
            Changes pinned = changes.withLayers(SourceSnapshot.take(changes.layers(), scratch.newDirectory()));
            LayoutReference work = new LayoutReference(scratch.path().resolve("layout"), BASE_TAG, null);
            try (ImageStore baseStore = openBase(base)) {
                pull(baseStore, base, work, platforms);
                Built built;
                try (ImageStore layout = new LayoutOverBase(session.open(work, Session.Access.CHANGE), baseStore)) {
                    built = build(layout, layout.fetchManifest(BASE_TAG), pinned, scratch, base);
                    layout.putManifest(built.top(), tag);
                }
                return push(base, baseStore, work.withTag(tag), target, built, changes, dryRun);
            }
        }
    }

    /**
     * The tag TARGET is pushed under, which is also the scratch layout's name for the result:
     * a new image's rule ({@code latest} in a layout too), not a copy's (see {@link TargetTag}).
     */
    private static String targetTag(ImageRef target) {
        return TargetTag.ofNewImage(target, "append");
    }

    private ImageStore openBase(ImageRef base) {
        try {
            return session.open(base, Session.Access.READ);
        } catch (RegctlException e) {
            throw baseFailed(base, e);
        }
    }

    private void pull(ImageStore from, ImageRef base, LayoutReference work, List<Platform> platforms) {
        CopyOptions options = new CopyOptions(platforms, false, false, jobs);
        // BASE's blobs count as present in the layout: only its manifests are written there.
        try (ImageStore layout = new LayoutOverBase(session.open(work, Session.Access.CREATE), from);
             Copier copier = new Copier(from, layout, options)) {
            copier.execute(copier.planToRun(new CopyRequest(base, work, false)), CopyListener.NONE);
        } catch (RegctlException e) {
            throw baseFailed(base, e);
        }
    }

    private static RegctlException baseFailed(ImageRef base, RegctlException e) {
        // The copy names the scratch layout, which means nothing to the user: BASE is what failed.
        String why = e instanceof CopyFailure copy ? copy.reason() : e.getMessage();
        return new RegctlException(e.kind(), "append: base " + base + ": " + why, e.hint(), e);
    }

    /** The new top manifest (image or index) and, per image, the platform and both digests. */
    private record Built(RawManifest top, List<AppendResult.Image> images) {
    }

    private Built build(ImageStore layout, RawManifest top, Changes changes, ScratchDirectory scratch, ImageRef base) {
        if (!top.isIndex()) {
            RawManifest image = buildOne(layout, top, changes, scratch, base, null);
            return new Built(image, List.of(new AppendResult.Image(null, image.digest().toString(), top.digest().toString())));
        }
        List<Descriptor> entries = new ArrayList<>();
        List<AppendResult.Image> images = new ArrayList<>();
        for (Descriptor child : top.index().manifests()) {
            if (Attestations.isAttestation(child)) {
                // BuildKit's provenance and SBOMs: shaped like images, but they describe the base's.
                continue;
            }
            RawManifest manifest = layout.fetchManifest(child.digest());
            if (!isImage(manifest)) {
                // Other artifacts describe the base's images too, not the new ones.
                continue;
            }
            RawManifest image = buildOne(layout, manifest, changes, scratch, base, child.platform());
            entries.add(new Descriptor(image.mediaType(), image.digest(), image.size(), child.platform(), null, null, null));
            images.add(new AppendResult.Image(child.platform() == null ? null : child.platform().toString(),
                    image.digest().toString(), manifest.digest().toString()));
        }
        if (entries.isEmpty()) {
            throw new RegctlException(RegctlException.Kind.UNSUPPORTED, "append: base " + base
                    + " is an index without images to add to");
        }
        return new Built(index(entries), images);
    }

    private RawManifest buildOne(ImageStore layout, RawManifest manifest, Changes changes, ScratchDirectory scratch,
                                 ImageRef base, Platform platform) {
        String what = "append: base " + base + (platform == null ? "" : " (" + platform + ")");
        if (!isImage(manifest)) {
            throw new RegctlException(RegctlException.Kind.UNSUPPORTED, what + " is a " + manifest.mediaType()
                    + (manifest.isSchema1() || manifest.manifest().config() == null ? ""
                            : " with config " + manifest.manifest().config().mediaType())
                    + ", not an image append can build on",
                    manifest.isSchema1() ? "convert it first, e.g. skopeo copy --format v2s2" : null, null);
        }
        for (Descriptor layer : manifest.manifest().layers()) {
            if (!GZIP_LAYERS.contains(layer.mediaType())) {
                throw new RegctlException(RegctlException.Kind.UNSUPPORTED, what + " has a layer of type "
                        + layer.mediaType() + "; append builds on gzip layers only");
            }
        }
        return builder.build(session, layout, manifest, changes, scratch.newDirectory());
    }

    private static boolean isImage(RawManifest manifest) {
        if (!MediaTypes.isImageManifest(manifest.mediaType()) || manifest.isSchema1()) {
            return false;
        }
        Manifest m = manifest.manifest();
        return m.config() != null && IMAGE_CONFIGS.contains(m.config().mediaType()) && m.artifactType() == null;
    }

    /** A new OCI index of the new images, each with its base entry's platform. */
    private static RawManifest index(List<Descriptor> entries) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", entries);
        try {
            return RawManifest.of(Json.mapper().writeValueAsBytes(index), MediaTypes.OCI_INDEX);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private AppendResult push(ImageRef base, ImageStore baseStore, LayoutReference result, ImageRef target, Built built,
                              Changes changes, boolean dryRun) {
        CopyOptions options = new CopyOptions(List.of(), false, false, jobs);
        CopyRequest request = new CopyRequest(result, target, false);
        try (ImageStore from = new LayoutOverBase(session.open(result, Session.Access.READ), baseStore);
             ImageStore to = session.open(target, Session.Access.CREATE);
             // The layers kept from BASE are mounted from its repository where TARGET's registry can.
             Copier copier = new Copier(from, to, to.mountFrom(baseStore), options)) {
            long bytes;
            if (dryRun) {
                CopyPlan plan = copier.plan(request);
                bytes = plan.bytes(CopyPlan.BlobAction.UPLOAD);
            } else {
                CopyResult copied = copier.execute(copier.planToRun(request), CopyListener.NONE);
                bytes = copied.bytes();
            }
            return new AppendResult(base.toString(), target.toString(), built.top().digest().toString(),
                    built.top().mediaType(), built.images(), changes.layers().size(), bytes, dryRun);
        } catch (RegctlException e) {
            if (e instanceof CopyFailure copy && copy.step() == CopyStep.READ_BLOB
                    && copy.blob().filter(blob -> !madeHere(result, blob)).isPresent()) {
                // The push reads each kept layer from BASE: reading it is BASE failing.
                throw baseFailed(base, e);
            }
            // The copy's source is the scratch layout, which means nothing to the user: TARGET is what failed.
            String why = e instanceof CopyFailure copy ? copy.destination() + ": " + copy.reason() : e.getMessage();
            throw new RegctlException(e.kind(), "append: push " + why, e.hint(), e);
        }
    }

    /** True when {@code blob} is one append made (a new layer or config), not one of BASE's. */
    private boolean madeHere(LayoutReference result, Descriptor blob) {
        try (ImageStore layout = session.open(result, Session.Access.READ)) {
            return layout.hasBlob(blob);
        } catch (RegctlException e) {
            return true;
        }
    }
}
