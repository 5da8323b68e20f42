package dev.regctl.store.ocidir;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import dev.regctl.store.LocalTarget;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A layout directory that does not exist yet: empty to readers, created on the first write. So a
 * copy that fails while planning, or a dry run, leaves no directory behind.
 */
public final class NewLayoutStore implements ImageStore {
    private final Path dir;
    private final String name;
    private volatile OciLayoutStore created;

    /**
     * A store for {@code dir}, which is not made until something is written.
     *
     * @throws RegctlException USAGE when something other than a directory is in the way
     */
    public NewLayoutStore(Path dir) {
        this.dir = dir;
        this.name = "oci:" + dir;
        LocalTarget.requireDirectory(name, dir);
    }

    private synchronized OciLayoutStore layout() {
        if (created == null) {
            created = OciLayoutStore.create(dir);
        }
        return created;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        OciLayoutStore layout = created;
        if (layout == null) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": " + reference + " not found (no layout yet)");
        }
        return layout.fetchManifest(reference);
    }

    @Override
    public String onlyImage() {
        return LayoutIndex.nameOf(resolve(null, null));
    }

    /** As {@link OciLayoutStore#resolve}; before the first write there is nothing to name. */
    public Descriptor resolve(String tag, Digest digest) {
        OciLayoutStore layout = created;
        if (layout == null) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": the layout holds no image (no layout yet)");
        }
        return layout.resolve(tag, digest);
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        OciLayoutStore layout = created;
        return layout == null ? Optional.empty() : layout.headManifest(reference);
    }

    @Override
    public boolean canStore(RawManifest manifest) {
        return OciLayoutStore.holds(manifest.mediaType());
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        layout().putManifest(manifest, tag);
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        OciLayoutStore layout = created;
        return layout != null && layout.hasBlob(blob);
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        OciLayoutStore layout = created;
        if (layout == null) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": blob " + blob.digest() + " not found");
        }
        return layout.openBlob(blob);
    }

    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        layout().putBlob(blob, content);
    }

    @Override
    public List<Descriptor> referrers(Digest subject) {
        OciLayoutStore layout = created;
        return layout == null ? List.of() : layout.referrers(subject);
    }

    @Override
    public List<String> listTags() {
        OciLayoutStore layout = created;
        return layout == null ? List.of() : layout.listTags();
    }

    @Override
    public void deleteTag(String tag) {
        OciLayoutStore layout = created;
        if (layout == null) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": no tag \"" + tag + "\"");
        }
        layout.deleteTag(tag);
    }

    @Override
    public void deleteManifest(Digest digest) {
        OciLayoutStore layout = created;
        if (layout == null) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": no manifest " + digest);
        }
        layout.deleteManifest(digest);
    }

    @Override
    public String toString() {
        return name;
    }
}
