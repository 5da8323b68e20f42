package dev.regctl.store.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.LayoutReference;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ocidir.LayoutIndex;
import dev.regctl.store.ocidir.LayoutReferrers;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A new OCI archive, written by one copy: an OCI image layout as tar, blobs streamed in as they
 * arrive, {@code index.json} (kept by the layout's own rules) added last at {@link #commit}. An
 * existing file at the path is replaced then, not added to.
 */
final class OciArchiveWriter extends NewArchive {

    private static final byte[] LAYOUT_FILE = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    private final LayoutIndex index = LayoutIndex.empty();
    /** The manifests written that name a subject, which {@link #referrers} looks through; they are small. */
    private final Map<Digest, JsonNode> withSubject = new ConcurrentHashMap<>();

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
        JsonNode tree = subjectOf(manifest);
        if (tree != null) {
            withSubject.put(descriptor.digest(), tree);
        }
        synchronized (index) {
            index.record(manifest, tag);
        }
    }

    private static JsonNode subjectOf(RawManifest manifest) {
        try {
            JsonNode tree = Json.readTree(manifest.bytes());
            return tree != null && tree.has("subject") ? tree : null;
        } catch (IOException e) {
            return null; // no JSON, so no subject
        }
    }

    /**
     * The referrers written so far, listed in index.json as a layout lists them, so a copy with
     * {@code --referrers} finds them there and needs no {@code sha256-<hex>} tag, which the
     * {@code referrers} command and other tools reading the archive as a layout do not look at.
     */
    @Override
    public List<Descriptor> referrers(Digest subject) {
        List<Descriptor> entries;
        synchronized (index) {
            try {
                entries = index.entries();
            } catch (IOException e) {
                throw new RegctlException(Kind.FAILURE, name + ": index.json: " + e.getMessage(), null, e);
            }
        }
        return LayoutReferrers.of(subject, entries, entry -> withSubject.get(entry.digest()));
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
