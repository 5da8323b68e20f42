package dev.regctl.store.archive;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a docker and an OCI archive being written have in common: the archive is new, so it
 * holds only what this copy put in; blobs are streamed into the tar under
 * {@code blobs/sha256/<hex>} as they arrive and cannot be read back; nothing can be deleted. The
 * formats differ in their first entries and in the file that names the images, written at commit.
 */
abstract class NewArchive implements ImageStore {

    protected final String name;
    protected final ArchiveWriter writer;

    protected NewArchive(String name, Path path) {
        this.name = name;
        this.writer = new ArchiveWriter(name, path, this::writeLead);
    }

    /** The entries that open the archive, written before its first blob. */
    protected abstract void writeLead();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final RawManifest fetchManifest(String reference) {
        throw new RegctlException(Kind.NOT_FOUND, name + ": " + reference + " not found (the archive is new)");
    }

    @Override
    public final Optional<Descriptor> headManifest(String reference) {
        return Optional.empty();
    }

    @Override
    public final boolean hasBlob(Descriptor blob) {
        return writer.has(blob);
    }

    @Override
    public final InputStream openBlob(Descriptor blob) {
        throw new RegctlException(Kind.NOT_FOUND, name + ": blob " + blob.digest() + " cannot be read back while the archive is written");
    }

    @Override
    public final void putBlob(Descriptor blob, InputStream content) {
        writer.put(OciArchiveContent.blobName(blob.digest()), blob, () -> content);
    }

    @Override
    public final boolean putBlobUnlessPresent(Descriptor blob, Supplier<InputStream> content) {
        return writer.put(OciArchiveContent.blobName(blob.digest()), blob, content);
    }

    @Override
    public final List<String> listTags() {
        return List.of();
    }

    @Override
    public final void deleteManifest(Digest digest) {
        throw new RegctlException(Kind.UNSUPPORTED, name + ": an archive being written cannot be changed");
    }

    @Override
    public final void close() {
        writer.close();
    }

    @Override
    public final String toString() {
        return name;
    }
}
