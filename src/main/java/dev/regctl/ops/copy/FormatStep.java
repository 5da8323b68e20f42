package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.image.ManifestWalk;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ManifestConversion;
import dev.regctl.oci.ManifestFormat;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Parallel;
import dev.regctl.store.ImageStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code --format} step of one copy: maps each manifest picked for copying to the format
 * asked for before anything is planned, an index after its children (so it lists their new
 * digests), and gives the planner the converted children by those digests. The plan then shows,
 * checks and pushes what will be written, in the usual order. Without a format, the step passes
 * every manifest through as fetched.
 */
final class FormatStep {
    private final ImageStore source;
    private final ManifestFormat format;
    private final int jobs;
    /** Converted manifests by the source digest they came from: a child shared by tags is converted once. */
    private final Map<Digest, RawManifest> bySource = new ConcurrentHashMap<>();
    /** The same, by their new digest: what the converted indexes list. */
    private final Map<Digest, RawManifest> byDigest = new ConcurrentHashMap<>();

    /** @param format what to convert to, or null to keep every manifest as it is */
    FormatStep(ImageStore source, ManifestFormat format, int jobs) {
        this.source = source;
        this.format = format;
        this.jobs = jobs;
    }

    /**
     * {@code manifest} as it will be written, with (for an index) every child below it.
     *
     * @param what the manifest as named in messages
     */
    RawManifest apply(RawManifest manifest, String what) {
        return format == null ? manifest : convert(manifest, what, 0);
    }

    /** A manifest an index to be written lists: converted by {@link #apply}, else the source's. */
    RawManifest child(Digest digest) {
        RawManifest converted = byDigest.get(digest);
        return converted != null ? converted : source.fetchManifest(digest);
    }

    private RawManifest convert(RawManifest manifest, String what, int depth) {
        RawManifest done = bySource.get(manifest.digest());
        if (done != null) {
            return done;
        }
        RawManifest converted;
        if (manifest.isIndex()) {
            if (depth >= ManifestWalk.MAX_INDEX_DEPTH) {
                throw ManifestWalk.indexTooDeep(manifest.digest(), source.name());
            }
            Map<Digest, Descriptor> entries = new LinkedHashMap<>();
            for (Descriptor entry : manifest.index().manifests()) {
                if (entry == null || entry.digest() == null) {
                    throw new RegctlException(RegctlException.Kind.FAILURE, "index " + manifest.digest() + " in "
                            + source.name() + " lists an entry without a digest");
                }
                entries.putIfAbsent(entry.digest(), entry);
            }
            List<RawManifest> children = Parallel.map(List.copyOf(entries.values()), jobs,
                    d -> convert(source.fetchManifest(d.digest()), childName(d, what), depth + 1));
            Map<Digest, RawManifest> bySourceDigest = new LinkedHashMap<>();
            int i = 0;
            for (Digest d : entries.keySet()) {
                bySourceDigest.put(d, children.get(i++));
            }
            converted = ManifestConversion.index(manifest, format, bySourceDigest, what);
        } else {
            converted = ManifestConversion.image(manifest, format, what);
        }
        bySource.put(manifest.digest(), converted);
        byDigest.put(converted.digest(), converted);
        return converted;
    }

    private static String childName(Descriptor entry, String parent) {
        String platform = entry.platform() == null || !entry.platform().isSpecified() ? "" : " (" + entry.platform() + ")";
        return "the image " + entry.digest() + platform + " of " + parent;
    }
}
