package dev.regctl.ops.artifact;

import dev.regctl.RegctlException;
import dev.regctl.image.ImageLookup;
import dev.regctl.image.ReferrersIndex;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ExpansionLimits;
import dev.regctl.store.ImageStore;
import dev.regctl.store.LocalWriteException;
import dev.regctl.store.WholeDirectory;
import dev.regctl.store.WholeFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes an artifact's titled layers into a directory: each verified against its digest while it
 * streams into a temporary file (or, for a directory layer, a temporary directory it is unpacked
 * in) beside its target, renamed into place only once complete, so a layer that fails leaves
 * nothing under its name. Where every layer goes is decided, and checked, before any is fetched.
 */
public final class ArtifactPull {

    /** What was pulled: the artifact, and each file or directory written, in layer order. */
    public record Result(String reference, String digest, String artifactType, String dir, List<File> files) {
    }

    /** One layer written: {@code path} is DIR joined with the title; {@code unpacked} for a directory layer. */
    public record File(String title, String path, String digest, long size, boolean unpacked) {
    }

    private final ImageStore store;
    private final ExpansionLimits limits;

    /** @param limits how far a directory layer may expand when unpacked */
    public ArtifactPull(ImageStore store, ExpansionLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    /**
     * The artifact {@code ref} names; with {@code artifactType}, that manifest when it is of the
     * type, else its newest referrer of the type (by {@code org.opencontainers.image.created},
     * the last listed when none tells).
     */
    public RawManifest find(ImageRef ref, String artifactType) {
        RawManifest named = store.fetchManifest(ImageLookup.reference(ref, store));
        if (artifactType == null || artifactType.equals(ReferrersIndex.entry(named).artifactType())) {
            return named;
        }
        List<Descriptor> ofType = store.referrers(named.digest()).stream()
                .filter(d -> artifactType.equals(d.artifactType())).toList();
        if (ofType.isEmpty()) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, "artifact pull " + ref + ": " + named.digest()
                    + " has no referrer of type " + artifactType, "regctl referrers " + ref + " lists those it has", null);
        }
        Descriptor newest = ofType.get(0);
        for (Descriptor d : ofType) {
            if (Comparator.nullsFirst(Comparator.<Instant>naturalOrder()).compare(created(d), created(newest)) >= 0) {
                newest = d;
            }
        }
        return store.fetchManifest(newest.digest());
    }

    /** Writes every titled layer of {@code artifact} into {@code dir}, replacing what is there only with {@code overwrite}. */
    public Result pull(ImageRef ref, RawManifest artifact, Path dir, boolean overwrite) {
        String what = "artifact pull " + ref;
        if (artifact.isIndex() || artifact.isSchema1()) {
            throw new RegctlException(RegctlException.Kind.USAGE, what + ": " + artifact.digest() + " is "
                    + artifact.mediaType() + ", not an artifact", "an image's SBOM or signature: --artifact-type TYPE", null);
        }
        Path base = base(dir, what);
        List<PullTargets.Target> targets = PullTargets.plan(base, artifact.manifest().layers(), overwrite, what);
        if (targets.isEmpty()) {
            throw new RegctlException(RegctlException.Kind.USAGE, what + ": " + artifact.digest() + " has no titled layers to write",
                    "an image's SBOM or signature: --artifact-type TYPE", null);
        }
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw LocalWriteException.of(what + ": making " + dir, e);
        }
        List<File> written = new ArrayList<>();
        for (PullTargets.Target t : targets) {
            if (t.unpack()) {
                unpack(t, what);
            } else {
                write(t, what);
            }
            written.add(new File(t.title(), dir.resolve(t.title()).toString(), t.layer().digest().toString(),
                    t.layer().size(), t.unpack()));
        }
        return new Result(ref.toString(), artifact.digest().toString(), ReferrersIndex.entry(artifact).artifactType(),
                dir.toString(), written);
    }

    private void write(PullTargets.Target t, String what) {
        try {
            Files.createDirectories(t.path().getParent());
            WholeFile.write(t.path(), out -> {
                try (InputStream in = store.openBlob(t.layer())) {
                    in.transferTo(out);
                }
            });
        } catch (IOException e) {
            throw LocalWriteException.of(what + ": " + PullTargets.name(t.index(), t.layer()), e);
        }
    }

    private void unpack(PullTargets.Target t, String what) {
        Digest tarDigest = tarDigest(t, what);
        try {
            Files.createDirectories(t.path().getParent());
            WholeDirectory.write(t.path(), staging -> {
                try (InputStream in = store.openBlob(t.layer())) {
                    new TarUnpack(staging, List.of(t.title().split("/")), limits).unpack(in, tarDigest);
                }
            });
        } catch (TarUnpack.Refused e) {
            throw PullTargets.hostile(what, t.index(), t.layer(), e.getMessage());
        } catch (IOException e) {
            throw LocalWriteException.of(what + ": " + PullTargets.name(t.index(), t.layer()), e);
        }
    }

    private static Digest tarDigest(PullTargets.Target t, String what) {
        String named = t.layer().annotations().get(ArtifactManifest.UNPACK_DIGEST);
        if (named == null) {
            return null;
        }
        try {
            return Digest.parse(named);
        } catch (RegctlException e) {
            throw PullTargets.hostile(what, t.index(), t.layer(), "its " + ArtifactManifest.UNPACK_DIGEST + " is no digest");
        }
    }

    /** DIR with its links resolved where it exists, so the checks below it are made on real paths. */
    private static Path base(Path dir, String what) {
        try {
            return Files.exists(dir) ? dir.toRealPath() : dir.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw LocalWriteException.of(what + ": " + dir, e);
        }
    }

    private static Instant created(Descriptor d) {
        Map<String, String> notes = d.annotations();
        String value = notes == null ? null : notes.get(ArtifactManifest.CREATED);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
