package dev.regctl.store.ocidir;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.store.FileErrors;
import dev.regctl.store.LocalWriteException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/**
 * A layout's blobs as its store offers them: read through {@link LayoutContent} by the rules on
 * links and special files, written through {@link LayoutBlobs} by way of temporary files, and
 * every failure a one-line message naming the blob.
 */
final class LayoutBlobStore {

    private final LayoutContent content;
    private final LayoutBlobs files;
    private final LayoutErrors errors;

    /** @param files where blobs are written; null for a layout that cannot be */
    LayoutBlobStore(LayoutContent content, LayoutBlobs files, LayoutErrors errors) {
        this.content = content;
        this.files = files;
        this.errors = errors;
    }

    /** True when the blob's file exists with the descriptor's size (its content is not hashed). */
    boolean has(Descriptor blob) {
        try {
            return content.has(blob.digest(), blob.size());
        } catch (RefusedFileException e) {
            throw errors.refused(e);
        } catch (IOException e) {
            throw LayoutErrors.failure(errors.name() + ": checking blob " + blob.digest() + ": " + FileErrors.describe(e), e);
        }
    }

    /** @throws RegctlException NOT_FOUND when the layout lacks the blob */
    long size(Digest blob) {
        try {
            return content.size(blob);
        } catch (NoSuchFileException e) {
            throw notFound(blob);
        } catch (RefusedFileException e) {
            throw errors.refused(e);
        } catch (IOException e) {
            throw LayoutErrors.failure(errors.name() + ": reading blob " + blob + ": " + FileErrors.describe(e), e);
        }
    }

    /**
     * A stream that throws an {@link IOException} naming both digests at the end of the content
     * if the file does not match the descriptor.
     *
     * @throws RegctlException NOT_FOUND when the layout lacks the blob
     */
    InputStream open(Descriptor blob) {
        try {
            return content.open(blob.digest(), blob.size());
        } catch (NoSuchFileException e) {
            throw notFound(blob.digest());
        } catch (RefusedFileException e) {
            throw errors.refused(e);
        } catch (IOException e) {
            throw LayoutErrors.failure(errors.name() + ": opening blob " + blob.digest() + ": " + FileErrors.describe(e), e);
        }
    }

    /**
     * Streams a blob into the layout, verifying it; a blob already present is left alone and
     * {@code in} is not read. Safe from several threads, for the same blob too. The caller has
     * passed {@link LayoutWrites#begin}.
     */
    void put(Descriptor blob, InputStream in) {
        try {
            files.put(blob, in);
        } catch (RefusedFileException e) {
            throw errors.refused(e);
        } catch (IOException e) {
            throw LocalWriteException.of(errors.name() + ": storing blob " + blob.digest(), e);
        }
    }

    private RegctlException notFound(Digest blob) {
        return new RegctlException(Kind.NOT_FOUND, errors.name() + ": blob " + blob + " not found");
    }
}
