package dev.regctl.ops;

import dev.regctl.oci.Digest;
import java.util.List;

/**
 * What {@code delete} removes: a whole manifest with every tag on it, or a single tag.
 *
 * @param repository the store's name, e.g. {@code localhost:5000/app} or {@code oci:/tmp/layout}
 * @param digest     the manifest the reference resolved to
 * @param tags       the tags that go: every tag on the manifest (sorted), or the one tag
 * @param manifest   true when the manifest itself is deleted, false when only the tag is removed
 * @param subject    the manifest's {@code subject} when it is deleted and has one, else null: the
 *                   manifest whose referrers tag schema index must stop listing it
 */
public record DeletePlan(String repository, Digest digest, List<String> tags, boolean manifest, Digest subject) {
    public DeletePlan {
        tags = List.copyOf(tags);
    }

    /** A plan that deletes no referrer. */
    public DeletePlan(String repository, Digest digest, List<String> tags, boolean manifest) {
        this(repository, digest, tags, manifest, null);
    }
}
