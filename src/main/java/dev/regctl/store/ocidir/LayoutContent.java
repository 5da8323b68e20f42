package dev.regctl.store.ocidir;

import dev.regctl.oci.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where a layout's {@code index.json} and blobs are read from: a directory, or a layout packed
 * in a tar archive. The layout's rules (tags, the only image, referrers) are the same over both.
 */
public interface LayoutContent {

    /** True when the blob is present with {@code size} bytes; its content is not hashed. */
    boolean has(Digest digest, long size) throws IOException;

    /**
     * A stream over the blob that verifies its digest and size while it is read.
     *
     * @throws java.nio.file.NoSuchFileException when the blob is absent
     * @throws dev.regctl.store.ContentMismatchException when its size is not {@code size}
     */
    InputStream open(Digest digest, long size) throws IOException;

    /**
     * The size of the blob, by the same rules {@link #open} reads it with, for a blob named by its
     * digest alone; its content is not hashed.
     *
     * @throws java.nio.file.NoSuchFileException when the blob is absent
     */
    long size(Digest digest) throws IOException;

    /** As {@link #open} for a blob whose size nobody gave: only the digest is verified. */
    InputStream openUnsized(Digest digest) throws IOException;

    /**
     * The bytes of {@code index.json}, refused when over {@link #MAX_INDEX_BYTES}.
     *
     * @throws java.nio.file.NoSuchFileException when there is none
     */
    byte[] index() throws IOException;

    /** Releases what reading held (an archive's file, its decompressed copy); a directory holds nothing. */
    default void close() throws IOException {
    }

    /**
     * The largest index.json read, 32 MiB: it is held in memory whole, and even a layout with a
     * hundred thousand tags stays well below this.
     */
    int MAX_INDEX_BYTES = 32 * 1024 * 1024;
}
