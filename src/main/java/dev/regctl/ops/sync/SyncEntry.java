package dev.regctl.ops.sync;

import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;
import java.util.List;

/**
 * One line of work of a sync file, defaults applied: a source repository (its tags, filtered) or
 * one source image, and where it goes.
 *
 * @param number    the entry's position in the file, from 1, for messages
 * @param platforms the platforms of an index to keep; empty keeps all, digests unchanged
 * @param prune     delete target tags within the filter that the source no longer has
 *                  (repository entries only)
 */
public record SyncEntry(int number, ImageRef source, ImageRef target, List<Platform> platforms, boolean referrers,
                        boolean prune, TagFilter tags) {

    public SyncEntry {
        platforms = List.copyOf(platforms);
    }

    /** True when the entry mirrors a repository's tags rather than one image. */
    public boolean wholeRepository() {
        return !source.namesImage();
    }

    /** The target repository (or layout) without tag, the unit shards split by. */
    public String targetRepository() {
        return target.repositoryName();
    }
}
