package dev.regctl.testing;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A store that hands every call to another, for tests that change one answer of a store (or add
 * a side effect to one call) and keep the rest as the real one gives them.
 */
public class ForwardingStore implements ImageStore {
    private final ImageStore inner;

    public ForwardingStore(ImageStore inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        return inner.fetchManifest(reference);
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        return inner.headManifest(reference);
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        inner.putManifest(manifest, tag);
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        return inner.hasBlob(blob);
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        return inner.openBlob(blob);
    }

    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        inner.putBlob(blob, content);
    }

    @Override
    public List<Descriptor> referrers(Digest subject) {
        return inner.referrers(subject);
    }

    @Override
    public List<String> listTags() {
        return inner.listTags();
    }

    @Override
    public void deleteManifest(Digest digest) {
        inner.deleteManifest(digest);
    }
}
