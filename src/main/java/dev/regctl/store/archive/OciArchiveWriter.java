package dev.regctl.store.archive;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.LayoutReference;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ocidir.LayoutIndex;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A new OCI archive, written by one copy: an OCI image layout as tar, blobs streamed in as they
 * arrive, {@code index.json} (kept by the layout's own rules) added last at {@link #commit}. An
 * existing file at the path is replaced then, not added to.
 */
final class OciArchiveWriter extends NewArchive {

    private static final byte[] LAYOUT_FILE = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    private final LayoutIndex index = LayoutIndex.empty();

    OciArchiveWriter(String name, Path path) {
        super(name, path);
    }

    @Override
    protected void writeLead() {
        writer.putBytes("oci-layout", LAYOUT_FILE);
        writer.putDirectory("blobs");
        writer.putDirectory("blobs/sha256");
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

}
