package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.oci.ManifestFormat;
import dev.regctl.oci.Platform;
import java.util.List;

/**
 * How a copy runs.
 *
 * @param platforms for an index, the platforms to keep; empty keeps them all
 * @param force     push manifests the target already has (and check each of their blobs), which
 *                  repairs a target whose manifests outlived their blobs
 * @param referrers also copy the referrers (signatures, SBOMs, attestations) of every copied manifest
 * @param jobs      how many transfers and lookups run at once
 * @param format    the manifest format to convert to ({@code --format}), or null to copy
 *                  manifests digest-exact
 */
public record CopyOptions(List<Platform> platforms, boolean force, boolean referrers, int jobs, ManifestFormat format) {

    public CopyOptions {
        platforms = List.copyOf(platforms);
        if (jobs < 1) {
            throw new RegctlException(RegctlException.Kind.USAGE, "-j must be at least 1, got " + jobs);
        }
        if (format != null && referrers) {
            // Signatures and attestations name the digest they are about, which conversion changes.
            throw new RegctlException(RegctlException.Kind.USAGE, "--referrers and --format cannot be combined:"
                    + " referrers name the source's digests, which --format changes, so they would refer to"
                    + " manifests the destination does not have",
                    "copy without --format to keep digests and referrers, or without --referrers", null);
        }
    }

    /** Digest-exact: no {@code --format}. */
    public CopyOptions(List<Platform> platforms, boolean force, boolean referrers, int jobs) {
        this(platforms, force, referrers, jobs, null);
    }

    /**
     * Eight, whatever the cores: transfers and lookups wait on the network and the registries
     * more than on this machine. On two cores, 8 beat 4 by about 10% on a 200-tag sync and tied
     * on 512 MiB of layers; more than 8 gained nothing and only loads the registries more.
     */
    public static int defaultJobs() {
        return 8;
    }

    /** Every platform, no force, no referrers, the default parallelism. */
    public static CopyOptions defaults() {
        return new CopyOptions(List.of(), false, false, defaultJobs());
    }
}
