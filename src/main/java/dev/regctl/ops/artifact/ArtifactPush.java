package dev.regctl.ops.artifact;

import dev.regctl.RegctlException;
import dev.regctl.image.ReferrersIndex;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.compose.BlobUpload;
import dev.regctl.ops.compose.LocalInput;
import dev.regctl.store.FileErrors;
import dev.regctl.store.ImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One artifact made from local files and pushed: the files read (a directory packed into a
 * temporary tar+gzip), the manifest built as a value, then the config and layers uploaded where
 * the store lacks them (each checked against its digest as it streams), the manifest last. With a
 * subject, the manifest is pushed by digest and listed in the subject's referrers.
 */
public final class ArtifactPush implements AutoCloseable {

    /**
     * What to make.
     *
     * @param annotations     the manifest's annotations from the command line, over the file's
     * @param annotationFile  ORAS's per-manifest, per-config and per-file annotations
     */
    public record Spec(List<ArtifactFile> files, String artifactType, Map<String, String> annotations,
                       AnnotationFile annotationFile, String annotationSource) {
    }

    private record Layer(Descriptor descriptor, Path content, boolean unpack) {
    }

    private final List<Layer> layers;
    private final List<Path> temporary;
    private final RawManifest manifest;
    private final Descriptor subject;

    private ArtifactPush(List<Layer> layers, List<Path> temporary, RawManifest manifest, Descriptor subject) {
        this.layers = layers;
        this.temporary = temporary;
        this.manifest = manifest;
        this.subject = subject;
    }

    /**
     * Reads the files and builds the manifest; nothing is sent yet.
     *
     * @param subject the manifest the artifact refers to, or null
     * @param clock   when the artifact is made, for {@code org.opencontainers.image.created} unless given
     */
    public static ArtifactPush prepare(Spec spec, Descriptor subject, Clock clock) {
        Set<String> titles = new HashSet<>();
        for (ArtifactFile f : spec.files()) {
            if (!titles.add(f.title())) {
                throw new RegctlException(RegctlException.Kind.USAGE, "two files are named " + f.title()
                        + ", and a title is the file name a pull writes", "rename one, or push them in a directory", null);
            }
        }
        spec.annotationFile().requireLayers(titles, spec.annotationSource());
        List<Path> temporary = new ArrayList<>();
        try {
            List<Layer> layers = new ArrayList<>();
            for (ArtifactFile f : spec.files()) {
                layers.add(read(f, spec.annotationFile().layers().getOrDefault(f.title(), Map.of()), temporary));
            }
            Map<String, String> annotations = new LinkedHashMap<>(spec.annotationFile().manifest());
            annotations.putAll(spec.annotations());
            annotations.putIfAbsent(ArtifactManifest.CREATED, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            RawManifest manifest = ArtifactManifest.build(spec.artifactType(), spec.annotationFile().config(),
                    layers.stream().map(Layer::descriptor).toList(), subject == null ? null : subject.bare(), annotations);
            return new ArtifactPush(layers, temporary, manifest, subject);
        } catch (RuntimeException e) {
            temporary.forEach(t -> deleteQuietly(t, e));
            throw e;
        }
    }

    /** The manifest to push. */
    public RawManifest manifest() {
        return manifest;
    }

    /**
     * Pushes the artifact to {@code store}: under {@code tag}, or by digest alone when it is null.
     * A dry run pushes nothing and reports what would be.
     */
    public ArtifactResult push(ImageStore store, String tag, boolean dryRun) {
        if (tag != null && !store.canHoldTag(tag)) {
            throw new RegctlException(RegctlException.Kind.USAGE, store.name() + " cannot hold the tag " + tag);
        }
        String index = null;
        if (!dryRun) {
            store.putBlobUnlessPresent(ArtifactManifest.EMPTY_CONFIG, () -> new ByteArrayInputStream(ArtifactManifest.EMPTY_JSON));
            for (Layer layer : layers) {
                store.putBlobUnlessPresent(layer.descriptor(), () -> new LocalInput(layer.content(), null).open());
            }
            store.putManifest(manifest, tag);
            if (subject != null) {
                index = ReferrersIndex.list(store, subject.digest(), List.of(ReferrersIndex.entry(manifest)))
                        .map(m -> m.digest().toString()).orElse(null);
            }
        }
        String reference = store.name() + (tag != null ? ":" + tag : "@" + manifest.digest());
        List<ArtifactResult.Layer> pushed = layers.stream().map(l -> new ArtifactResult.Layer(
                l.descriptor().annotations().get(ArtifactManifest.TITLE), l.descriptor().mediaType(),
                l.descriptor().digest().toString(), l.descriptor().size(), l.unpack())).toList();
        return new ArtifactResult(reference, manifest.digest().toString(), manifest.mediaType(), manifest.size(),
                manifest.manifest().artifactType(), subject == null ? null : subject.digest().toString(), pushed, index, dryRun);
    }

    private static Layer read(ArtifactFile file, Map<String, String> extra, List<Path> temporary) {
        Map<String, String> annotations = new LinkedHashMap<>(extra);
        annotations.put(ArtifactManifest.TITLE, file.title());
        if (!file.isDirectory()) {
            Descriptor d = BlobUpload.describe(new LocalInput(file.path(), null), file.path());
            String type = file.mediaType() != null ? file.mediaType() : MediaTypes.OCI_LAYER_TAR;
            return new Layer(new Descriptor(type, d.digest(), d.size(), null, null, annotations, null), file.path(), false);
        }
        Path tar = temporaryFile();
        temporary.add(tar);
        DirectoryTar.Packed packed = DirectoryTar.pack(file.path(), file.title(), tar);
        annotations.put(ArtifactManifest.UNPACK_DIGEST, packed.tarDigest().toString());
        annotations.put(ArtifactManifest.UNPACK, "true");
        String type = file.mediaType() != null ? file.mediaType() : MediaTypes.OCI_LAYER_GZIP;
        return new Layer(new Descriptor(type, packed.digest(), packed.size(), null, null, annotations, null), tar, true);
    }

    private static Path temporaryFile() {
        try {
            return Files.createTempFile("regctl-artifact-", ".tar.gz");
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "making a temporary file to pack a directory in: "
                    + FileErrors.describe(e), null, new UncheckedIOException(e));
        }
    }

    private static void deleteQuietly(Path file, Exception failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Removes the packed directories. */
    @Override
    public void close() {
        for (Path t : temporary) {
            try {
                Files.deleteIfExists(t);
            } catch (IOException ignored) {
                // In the system's temporary directory; nothing depends on it going.
            }
        }
    }
}
