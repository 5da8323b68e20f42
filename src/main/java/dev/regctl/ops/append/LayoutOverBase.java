package dev.regctl.ops.append;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * append's scratch layout as the copy engine and the builder see it: manifests, and every blob
 * append makes, go into the layout, while a blob BASE's store has counts as present and is read
 * from there. So BASE's layers are never written to the scratch directory: the pull into the
 * layout writes BASE's manifests only, the builder reads what it needs from BASE, and the push
 * streams (or mounts) each kept layer straight from BASE to TARGET, its digest checked by the copy.
 * A blob BASE lacks is not present, so the pull still fails on it as a copy of BASE would.
 * Closing closes the layout only: BASE's store belongs to the caller.
 */
final class LayoutOverBase implements ImageStore {
    private final ImageStore layout;
    private final ImageStore base;

    LayoutOverBase(ImageStore layout, ImageStore base) {
        this.layout = layout;
        this.base = base;
    }

    @Override
    public String name() {
        return layout.name();
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        return layout.fetchManifest(reference);
    }

    @Override
    public String onlyImage() {
        return layout.onlyImage();
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        return layout.headManifest(reference);
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        layout.putManifest(manifest, tag);
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        return layout.hasBlob(blob) || base.hasBlob(blob);
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        return layout.hasBlob(blob) ? layout.openBlob(blob) : base.openBlob(blob);
    }

    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        layout.putBlob(blob, content);
    }

    @Override
    public List<Descriptor> referrers(Digest subject) {
        return layout.referrers(subject);
    }

    @Override
    public boolean canHoldTag(String tag) {
        return layout.canHoldTag(tag);
    }

    @Override
    public boolean canStore(RawManifest manifest) {
        return layout.canStore(manifest);
    }

    @Override
    public List<String> listTags() {
        return layout.listTags();
    }

    @Override
    public Optional<Set<String>> knownTags() {
        return layout.knownTags();
    }

    @Override
    public void deleteTag(String tag) {
        layout.deleteTag(tag);
    }

    @Override
    public void deleteManifest(Digest digest) {
        layout.deleteManifest(digest);
    }

    @Override
    public Optional<String> notice() {
        return layout.notice();
    }

    @Override
    public void commit() {
        layout.commit();
    }

    @Override
    public void close() {
        layout.close();
    }
}
