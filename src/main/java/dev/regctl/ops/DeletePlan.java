package dev.regctl.ops;

import java.util.List;

/**
 * What {@code delete} removes: a whole manifest with every tag on it, or a single tag.
 *
 * @param repository the store's name, e.g. {@code localhost:5000/app} or {@code oci:/tmp/layout}
 * @param digest     the manifest the reference resolved to
 * @param tags       the tags that go: every tag on the manifest (sorted), or the one tag
 * @param manifest   true when the manifest itself is deleted, false when only the tag is removed
 */
public record DeletePlan(String repository, String digest, List<String> tags, boolean manifest) {
    public DeletePlan {
        tags = List.copyOf(tags);
    }
}
