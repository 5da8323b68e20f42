package dev.regctl.it.support;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link TestImages} wrote into an OCI image layout directory under one tag: enough for a
 * test to check that a copy kept every digest.
 *
 * @param dir       the layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/})
 * @param tag       the {@code org.opencontainers.image.ref.name} it is listed under
 * @param mediaType the top manifest's media type (OCI or Docker; image or index)
 * @param digest    the top manifest's digest, {@code sha256:…}
 * @param size      the top manifest's size in bytes
 * @param children  for an index, the digests of its image manifests in order; otherwise empty
 * @param blobs     every config and layer digest the image (or all its children) references
 */
public record LayoutImage(Path dir, String tag, String mediaType, String digest, long size,
                          List<String> children, List<String> blobs) {

    /** The file holding the blob or manifest with this digest. */
    public Path blobPath(String digest) {
        return dir.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    /** The layout reference skopeo and regctl take: {@code oci:DIR:TAG}. */
    public String ociReference() {
        return "oci:" + dir + ":" + tag;
    }
}
