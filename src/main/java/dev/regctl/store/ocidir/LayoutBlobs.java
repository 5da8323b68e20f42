package dev.regctl.store.ocidir;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.store.ContentMismatchException;
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

    /**
     * True when the blob's file exists, a regular file with the expected size, or a link to one
     * inside the layout (as {@link BlobLinks} follows them); the content is not hashed. A link
     * that is not followed is not the blob, so a write replaces it.
     */
    boolean has(Digest digest, long size) throws IOException {
        try {
            checkDirectories(digest);
            return LayoutFiles.regularFile(file(digest)).size() == size;
        } catch (NoSuchFileException e) {
            return false;
        } catch (RefusedFileException e) {
            if (e.path().equals(path(digest))) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A stream over the blob that verifies it while it is read. The blob must be a regular file
     * of exactly {@code size} bytes inside the layout, or a link to one there; anything else is
     * refused before a byte of it is read. A linked blob is hashed whole before the stream is
     * handed out: its file was written under another name, and what the stream carries may
     * leave the machine before the stream's own check at its end.
     *
     * @throws NoSuchFileException when the layout lacks the blob
     * @throws RefusedFileException when the blob or its directories are links or special files
     *                              not allowed
     * @throws ContentMismatchException when the file's size, or a linked file's digest, does
     *                                  not match
     */
    InputStream open(Digest digest, long size) throws IOException {
        checkDirectories(digest);
        Path file = file(digest);
        long actual = LayoutFiles.regularFile(file).size();
        if (actual != size) {
            throw new ContentMismatchException("size mismatch: expected " + size + " bytes, the file has " + actual);
        }
        if (!file.equals(path(digest))) {
            try (InputStream whole = new VerifyingInputStream(LayoutFiles.openChecked(file), digest, size)) {
                whole.transferTo(OutputStream.nullOutputStream());
            }
        }
        return new VerifyingInputStream(LayoutFiles.openChecked(file), digest, size);
    }

    /**
     * The size of the regular file holding the blob, its own or the one its link leads to inside
     * the layout; refused, as {@link #open} refuses it, when it is anything else.
     *
     * @throws NoSuchFileException when the layout lacks the blob
     * @throws RefusedFileException when the blob or its directories are links or special files
     *                              not allowed
     */
    long size(Digest digest) throws IOException {
        checkDirectories(digest);
        return LayoutFiles.regularFile(file(digest)).size();
    }

    /**
     * Like {@link #open} for a blob whose size nobody gave (a manifest asked for by digest
     * alone): only the digest is verified, so the caller bounds what it reads, and keeps it
     * until the stream's end has verified it.
     */
    InputStream openUnsized(Digest digest) throws IOException {
        checkDirectories(digest);
        return new VerifyingInputStream(LayoutFiles.openChecked(file(digest)), digest, -1);
    }

    /**
     * The regular file holding the blob: its own, or the one its link leads to inside the
     * layout.
     *
     * @throws NoSuchFileException when there is neither
     * @throws RefusedFileException naming the blob's path when it is anything else
     */
    private Path file(Digest digest) throws IOException {
        Path file = path(digest);
        if (Files.isSymbolicLink(file)) {
            return BlobLinks.target(file, root.getParent());
        }
        LayoutFiles.regularFile(file);
        return file;
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
