package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A destination that does not exist yet, as a dry run sees it: it has nothing, and writing to it
 * is a bug, since a dry run writes nowhere.
 */
final class EmptyStore implements ImageStore {
    private final String name;

    EmptyStore(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": " + reference + " not found (it does not exist yet)");
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        return Optional.empty();
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        throw new IllegalStateException("dry run: no manifest may be written to " + name);
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        return false;
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": blob " + blob.digest() + " not found");
    }

    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        throw new IllegalStateException("dry run: no blob may be written to " + name);
    }

    @Override
    public List<String> listTags() {
        return List.of();
    }

    @Override
    public void deleteManifest(Digest digest) {
        throw new IllegalStateException("dry run: nothing may be deleted from " + name);
    }

    @Override
    public String toString() {
        return name;
    }
}
