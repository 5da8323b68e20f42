package dev.regctl.store.registry;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.Tag;
import dev.regctl.store.ImageStore;
import dev.regctl.store.RateLimit;
import dev.regctl.store.RegistryRepository;
import dev.regctl.store.VerifyingInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/** One repository on a registry, spoken to over the distribution API. */
public final class RegistryStore implements ImageStore {
    private final RegistryClient client;
    private final String repository;
    private final ManifestsEndpoint manifests;
    private final BlobsEndpoint blobs;
    private final TagsEndpoint tags;
    private final ReferrersEndpoint referrers;

    public RegistryStore(RegistryClient client, String repository) {
        this.client = client;
        this.repository = repository;
        this.manifests = new ManifestsEndpoint(client, repository);
        this.blobs = new BlobsEndpoint(client, repository);
        this.tags = new TagsEndpoint(client, repository);
        this.referrers = new ReferrersEndpoint(client, repository, manifests);
    }

    public String repository() {
        return repository;
    }

    /** The registry this repository lives on (normalised name). */
    public String registry() {
        return client.registry();
    }

    @Override
    public String name() {
        return client.registry() + "/" + repository;
    }

    @Override
    public Optional<RegistryRepository> onRegistry() {
        return Optional.of(new RegistryRepository(client.registry(), repository));
    }

    @Override
    public Optional<RateLimit> rateLimit(String reference) {
        return manifests.rateLimit(reference);
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        return manifests.get(reference);
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        return manifests.head(reference);
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        manifests.put(manifest, tag == null ? manifest.digest().toString() : tag);
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        return blobs.exists(blob);
    }

    @Override
    public long blobSize(Digest blob) {
        return blobs.size(blob);
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        return VerifyingInputStream.of(blobs.open(blob), blob);
    }

    /** The registry checks the digest when the upload is closed ({@code PUT ?digest=}); the size is enforced here. */
    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        blobs.upload(blob, content);
    }

    @Override
    public boolean putBlobUnlessPresent(Descriptor blob, Supplier<InputStream> content) {
        HttpUrl session = blobs.startUnlessPresent(blob);
        if (session == null) {
            return false;
        }
        blobs.upload(blob, content, session);
        return true;
    }

    @Override
    public boolean mountBlob(Descriptor blob, String fromRepository) {
        return blobs.mount(blob, fromRepository);
    }

    /** From the referrers API, or the {@code sha256-<hex>} tag's index where the registry lacks it. */
    @Override
    public List<Descriptor> referrers(Digest subject) {
        return referrers.list(subject);
    }

    @Override
    public boolean canStore(RawManifest manifest) {
        return !manifest.isSchema1() || manifests.takesSchema1(manifest);
    }

    @Override
    public boolean canHoldTag(String tag) {
        return Tag.isValid(tag);
    }

    @Override
    public List<String> listTags() {
        return tags.list();
    }

    @Override
    public void deleteManifest(Digest digest) {
        manifests.delete(digest);
    }

    /** By name where the registry offers that (OCI 1.1), else through a throwaway manifest: see {@link TagRemoval}. */
    @Override
    public void deleteTag(String tag) {
        new TagRemoval(manifests, blobs, repository).remove(tag);
    }
}
