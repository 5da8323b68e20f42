package dev.regctl.store.archive;

import dev.regctl.oci.Digest;
import dev.regctl.store.ContentMismatchException;
import dev.regctl.store.VerifyingInputStream;
import dev.regctl.store.ocidir.LayoutContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/**
 * An OCI image layout packed in a tar archive, read in place: {@code index.json} and
 * {@code blobs/<alg>/<hex>} are members of the archive, so the layout store's rules apply to it
 * unchanged. A blob that is a link or a special file is refused, not followed.
 */
final class OciArchiveContent implements LayoutContent {

    private final ArchiveFile archive;

    OciArchiveContent(ArchiveFile archive) {
        this.archive = archive;
    }

    @Override
    public boolean has(Digest digest, long size) {
        Optional<TarEntry> entry = archive.index().find(blobName(digest));
        return entry.isPresent() && entry.get().type() == TarEntry.Type.FILE && entry.get().size() == size;
    }

    @Override
    public InputStream open(Digest digest, long size) throws IOException {
        TarEntry entry = blob(digest);
        if (entry.size() != size) {
            throw new ContentMismatchException("size mismatch: expected " + size + " bytes, the archive has " + entry.size());
        }
        return new VerifyingInputStream(archive.open(entry), digest, size);
    }

    @Override
    public long size(Digest digest) throws IOException {
        return blob(digest).size();
    }

    @Override
    public InputStream openUnsized(Digest digest) throws IOException {
        return new VerifyingInputStream(archive.open(blob(digest)), digest, -1);
    }

    @Override
    public byte[] index() throws IOException {
        TarEntry entry = archive.index().find("index.json").orElseThrow(() -> new NoSuchFileException("index.json"));
        return archive.readAll(archive.file(entry.name(), "index.json"), MAX_INDEX_BYTES, "index.json");
    }

    private TarEntry blob(Digest digest) throws IOException {
        String name = blobName(digest);
        if (archive.index().find(name).isEmpty()) {
            throw new NoSuchFileException(name);
        }
        return archive.file(name, "blob");
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }

    /** {@link Digest} admits only known algorithms and lower-case hex, so the name is a plain path. */
    static String blobName(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }
}
