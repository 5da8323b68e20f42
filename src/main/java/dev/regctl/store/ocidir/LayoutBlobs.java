package dev.regctl.store.ocidir;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.store.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The content-addressed {@code blobs/<alg>/<hex>} tree of a layout. */
final class LayoutBlobs {

    private final Path root;

    LayoutBlobs(Path root) {
        this.root = root;
    }

    /**
     * Where a blob lives. {@link Digest} admits only known algorithms and lower-case hex, so the
     * path cannot escape the blobs directory.
     */
    Path path(Digest digest) {
        return root.resolve(digest.algorithm()).resolve(digest.hex());
    }

    /** True when the blob's file exists with the expected size; the content is not hashed. */
    boolean has(Digest digest, long size) throws IOException {
        try {
            return Files.size(path(digest)) == size;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * A stream over the blob that verifies it while it is read.
     *
     * @throws NoSuchFileException when the layout lacks the blob
     */
    InputStream open(Digest digest, long size) throws IOException {
        return new VerifyingInputStream(Files.newInputStream(path(digest)), digest, size);
    }

    /**
     * Stores a blob, verified while it streams to a temporary file that is renamed into place
     * only when the digest and size match; on any failure the temporary file is removed, so a
     * blob's name never holds anything but its content. Does nothing, reading none of
     * {@code content}, when the blob is already present.
     *
     * @return false when the blob was already present
     */
    boolean put(Descriptor blob, InputStream content) throws IOException {
        Digest digest = blob.parsedDigest();
        if (has(digest, blob.size())) {
            return false;
        }
        Path target = path(digest);
        Files.createDirectories(target.getParent());
        Path temp = AtomicFiles.tempSibling(target);
        try {
            try (OutputStream out = AtomicFiles.create(temp)) {
                // Not closed: the caller owns content.
                new VerifyingInputStream(content, digest, blob.size()).transferTo(out);
            }
            // A file of the wrong size under this name (not one we wrote) is replaced too.
            AtomicFiles.replace(temp, target);
            return true;
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(temp, e);
            throw e;
        }
    }
}
