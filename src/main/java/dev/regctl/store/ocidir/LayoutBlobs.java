package dev.regctl.store.ocidir;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.store.ContentMismatchException;
import dev.regctl.store.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

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

    /**
     * True when the blob's file exists, a regular file with the expected size; the content is
     * not hashed. A link in its place is not the blob, so a write replaces it.
     */
    boolean has(Digest digest, long size) throws IOException {
        try {
            checkDirectories(digest);
            BasicFileAttributes file = Files.readAttributes(path(digest), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return file.isRegularFile() && file.size() == size;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * A stream over the blob that verifies it while it is read. The blob must be a regular file
     * of exactly {@code size} bytes inside the layout; anything else is refused before a byte
     * of it is read.
     *
     * @throws NoSuchFileException when the layout lacks the blob
     * @throws RefusedFileException when the blob or its directories are links or special files
     * @throws ContentMismatchException when the file's size is not {@code size}
     */
    InputStream open(Digest digest, long size) throws IOException {
        Path file = checkedFile(digest);
        long actual = LayoutFiles.regularFile(file).size();
        if (actual != size) {
            throw new ContentMismatchException("size mismatch: expected " + size + " bytes, the file has " + actual);
        }
        return new VerifyingInputStream(LayoutFiles.openChecked(file), digest, size);
    }

    /**
     * Like {@link #open} for a blob whose size nobody gave (a manifest asked for by digest
     * alone): only the digest is verified, so the caller bounds what it reads.
     */
    InputStream openUnsized(Digest digest) throws IOException {
        return new VerifyingInputStream(LayoutFiles.open(checkedFile(digest)), digest, -1);
    }

    private Path checkedFile(Digest digest) throws IOException {
        checkDirectories(digest);
        return path(digest);
    }

    /** The blobs directory and the algorithm's directory must be real directories, not links out. */
    private void checkDirectories(Digest digest) throws IOException {
        LayoutFiles.directory(root);
        LayoutFiles.directory(root.resolve(digest.algorithm()));
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
        Digest digest = blob.digest();
        if (has(digest, blob.size())) {
            return false;
        }
        Path target = path(digest);
        LayoutFiles.makeDirectory(root);
        LayoutFiles.makeDirectory(target.getParent());
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
