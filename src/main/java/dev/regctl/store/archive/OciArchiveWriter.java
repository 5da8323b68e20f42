package dev.regctl.store.archive;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.LayoutReference;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import dev.regctl.store.ocidir.LayoutIndex;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A new OCI archive, written by one copy: an OCI image layout as tar, blobs streamed in as they
 * arrive, {@code index.json} (kept by the layout's own rules) added last at {@link #commit}. An
 * existing file at the path is replaced then, not added to.
 */
final class OciArchiveWriter implements ImageStore {

    private static final byte[] LAYOUT_FILE = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    private final String name;
    private final ArchiveWriter writer;
    private final LayoutIndex index = LayoutIndex.empty();

    OciArchiveWriter(String name, Path path) {
        this.name = name;
        this.writer = new ArchiveWriter(name, path, this::lead);
    }

    private void lead() {
        writer.putBytes("oci-layout", LAYOUT_FILE);
        writer.putDirectory("blobs");
        writer.putDirectory("blobs/sha256");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        throw new RegctlException(Kind.NOT_FOUND, name + ": " + reference + " not found (the archive is new)");
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        return Optional.empty();
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        Descriptor descriptor = manifest.descriptor();
        writer.put(OciArchiveContent.blobName(descriptor.digest()), descriptor, () -> new ByteArrayInputStream(manifest.bytes()));
        synchronized (index) {
            index.record(manifest, tag);
        }
    }

    @Override
    public boolean canStore(RawManifest manifest) {
        return OciLayoutStore.holds(manifest.mediaType());
    }

    @Override
    public boolean canHoldTag(String tag) {
        return LayoutReference.isRefName(tag);
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        return writer.has(blob);
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        throw new RegctlException(Kind.NOT_FOUND, name + ": blob " + blob.digest() + " cannot be read back while the archive is written");
    }

    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        writer.put(OciArchiveContent.blobName(blob.digest()), blob, () -> content);
    }

    @Override
    public boolean putBlobUnlessPresent(Descriptor blob, Supplier<InputStream> content) {
        return writer.put(OciArchiveContent.blobName(blob.digest()), blob, content);
    }

    @Override
    public List<String> listTags() {
        return List.of();
    }

    @Override
    public void deleteManifest(Digest digest) {
        throw new RegctlException(Kind.UNSUPPORTED, name + ": an archive being written cannot be changed");
    }

    @Override
    public void commit() {
        byte[] bytes;
        synchronized (index) {
            try {
                bytes = index.toBytes();
            } catch (IOException e) {
                throw new RegctlException(Kind.FAILURE, name + ": index.json: " + e.getMessage(), null, e);
            }
        }
        writer.commit("index.json", bytes);
    }

    @Override
    public void close() {
        writer.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
