package dev.regctl.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.store.ImageStore;
import dev.regctl.store.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ImageStore} in memory that records every call, so tests can assert what copy asked
 * and wrote. Verifies what it is given, as real stores do. Optionally lends blobs to mounts from
 * a sibling store and answers referrers like a registry with the referrers API; without it, like
 * one without: from the index tagged by the referrers tag schema.
 */
public final class MemoryStore implements ImageStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, RawManifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> tags = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean refuseListing;
    private MemoryStore mountSource;
    private boolean referrersApi;

    public MemoryStore(String name) {
        this.name = name;
    }

    /** Lets {@link #mountBlob} link blobs {@code sibling} has, as a registry does across repositories. */
    public MemoryStore mountsFrom(MemoryStore sibling) {
        this.mountSource = sibling;
        return this;
    }

    /** Answers {@link #referrers} from the subjects of the manifests held. */
    public MemoryStore withReferrersApi() {
        this.referrersApi = true;
        return this;
    }

    /** Stores bytes under a digest without checking them: a corrupt source. */
    public void putCorruptBlob(Digest digest, byte[] bytes) {
        blobs.put(digest, bytes);
    }

    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Calls whose text starts with {@code prefix}, e.g. {@code "putBlob"}. */
    public List<String> calls(String prefix) {
        return calls().stream().filter(c -> c.startsWith(prefix + " ") || c.equals(prefix)).toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    public boolean hasManifest(Digest digest) {
        return manifests.containsKey(digest.toString());
    }

    public String tagged(String tag) {
        return tags.get(tag);
    }

    public byte[] blob(Digest digest) {
        return blobs.get(digest);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        calls.add("fetchManifest " + reference);
        RawManifest m = manifests.get(tags.getOrDefault(reference, reference));
        if (m == null) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": manifest " + reference + " not found");
        }
        return m;
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        calls.add("headManifest " + reference);
        RawManifest m = manifests.get(tags.getOrDefault(reference, reference));
        return Optional.ofNullable(m).map(RawManifest::descriptor);
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        calls.add("putManifest " + manifest.digest() + (tag == null ? "" : " " + tag));
        manifests.put(manifest.digest().toString(), manifest);
        if (tag != null) {
            tags.put(tag, manifest.digest().toString());
        }
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        calls.add("hasBlob " + blob.digest());
        return blobs.containsKey(blob.digest());
    }

    @Override
    public long blobSize(Digest blob) {
        calls.add("blobSize " + blob);
        byte[] bytes = blobs.get(blob);
        if (bytes == null) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": blob " + blob + " not found");
        }
        return bytes.length;
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        calls.add("openBlob " + blob.digest());
        byte[] bytes = blobs.get(blob.digest());
        if (bytes == null) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": blob " + blob.digest() + " not found");
        }
        return VerifyingInputStream.of(new ByteArrayInputStream(bytes), blob);
    }

    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        calls.add("putBlob " + blob.digest());
        try {
            byte[] bytes = VerifyingInputStream.of(content, blob).readAllBytes();
            blobs.put(blob.digest(), bytes);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, name + ": storing blob " + blob.digest()
                    + ": " + e.getMessage(), null, e);
        }
    }

    @Override
    public boolean mountBlob(Descriptor blob, String fromRepository) {
        calls.add("mountBlob " + blob.digest() + " " + fromRepository);
        if (mountSource == null || mountSource.blob(blob.digest()) == null) {
            return false;
        }
        blobs.put(blob.digest(), mountSource.blob(blob.digest()));
        return true;
    }

    @Override
    public List<Descriptor> referrers(Digest subject) {
        calls.add("referrers " + subject);
        if (!referrersApi) {
            RawManifest schema = manifests.get(tags.getOrDefault(ReferrerTags.fallback(subject), ""));
            return schema != null && schema.isIndex() ? schema.index().manifests() : List.of();
        }
        List<Descriptor> out = new ArrayList<>();
        for (RawManifest m : manifests.values()) {
            try {
                JsonNode tree = JSON.readTree(m.bytes());
                if (subject.toString().equals(tree.path("subject").path("digest").asText(null))) {
                    // As the API reports a referrer: with its artifact type and annotations.
                    String type = tree.path("artifactType").asText(tree.path("config").path("mediaType").asText(null));
                    Map<String, String> annotations = new LinkedHashMap<>();
                    tree.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
                    out.add(new Descriptor(m.mediaType(), m.digest(), m.size(), null, type,
                            annotations.isEmpty() ? null : annotations, null));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Makes listTags fail as a registry does that lets this client push but not list. */
    public void refuseListing() {
        refuseListing = true;
    }

    @Override
    public List<String> listTags() {
        calls.add("listTags");
        if (refuseListing) {
            throw new dev.regctl.RegctlException(dev.regctl.RegctlException.Kind.AUTH, "list tags of " + name + ": denied");
        }
        synchronized (tags) {
            return List.copyOf(tags.keySet());
        }
    }

    @Override
    public void deleteManifest(Digest digest) {
        calls.add("deleteManifest " + digest);
        if (manifests.remove(digest.toString()) == null) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, name + ": manifest " + digest + " not found");
        }
        synchronized (tags) {
            tags.values().removeIf(digest.toString()::equals);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
