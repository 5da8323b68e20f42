package dev.regctl.ops.artifact;

import java.util.List;

/**
 * What {@code artifact push} or {@code attach} pushed (or, in a dry run, would push).
 *
 * @param reference      where the manifest now is: {@code REPO:TAG}, or {@code REPO@DIGEST} when pushed by digest
 * @param subject        the digest of the manifest it refers to, or null
 * @param referrersIndex the digest of the {@code sha256-<hex>} index pushed to list it, or null
 *                       when the store lists referrers itself (or in a dry run)
 */
public record ArtifactResult(String reference, String digest, String mediaType, long size, String artifactType,
                             String subject, List<Layer> layers, String referrersIndex, boolean dryRun) {

    /** One layer: a file, or a directory packed as tar+gzip to be unpacked on pull. */
    public record Layer(String title, String mediaType, String digest, long size, boolean unpack) {
    }
}
