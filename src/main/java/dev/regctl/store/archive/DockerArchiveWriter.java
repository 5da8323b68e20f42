package dev.regctl.store.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.Attestations;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.Reference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A new docker archive, written by one copy for {@code docker load}: configs and layers stored
 * as they come ({@code blobs/sha256/<hex>}, as docker 25 and later save them; compressed layers
 * stay compressed, which docker load and skopeo read), and {@code manifest.json} last, at
 * {@link #commit}, with one entry per image and its names in {@code RepoTags}. Docker's format
 * has no index, so only single-platform images fit. An existing file at the path is replaced.
 */
final class DockerArchiveWriter extends NewArchive {

    /** Where ocicrypt keeps what decrypts a layer: the keys wrapped for each recipient, and more. */
    private static final String ENCRYPTION_ANNOTATIONS = "org.opencontainers.image.enc.";

    private final Path path;
    private final String repository;
    /** manifest.json's entries by manifest digest, in the order the images came. */
    private final Map<Digest, Entry> entries = new LinkedHashMap<>();

    private record Entry(Manifest manifest, List<String> repoTags) {
    }

    /**
     * @param repository the repository bare tags are named under ({@code app} for {@code --all-tags}
     *                   into {@code docker-archive:PATH:app}), or null when none was given
     */
    DockerArchiveWriter(String name, Path path, String repository) {
        super(name, path);
        this.path = path;
        this.repository = repository;
    }

    @Override
    protected void writeLead() {
        writer.putDirectory("blobs");
        writer.putDirectory("blobs/sha256");
    }

    /**
     * Only an image with a container config fits: not schema 1 (no config). An index, an
     * artifact, and an image whose layers the archive could not hold as they are cannot be
     * written at all, and the user is told what to do instead (exit 2): pick a platform of the
     * index, put the artifact in an OCI archive. A foreign or non-distributable layer is not
     * copied (it lives at its URLs), and docker's format has no place for its URLs, so the archive
     * would name a file it lacks; an encrypted layer's keys are in annotations the format cannot
     * hold, so the image could not be decrypted again. Both are refused, as skopeo does.
     */
    @Override
    public boolean canStore(RawManifest manifest) {
        if (manifest.isIndex()) {
            List<String> platforms = manifest.index().manifests().stream().filter(d -> !Attestations.isAttestation(d))
                    .map(Descriptor::platform).filter(Objects::nonNull).map(Platform::toString).distinct().toList();
            throw new RegctlException(Kind.USAGE, name + ": a docker archive holds one platform of an image"
                    + " (docker's format has no index), and " + manifest.digest() + " has " + platforms.size(),
                    "pick one with --platform: " + String.join(", ", platforms), null);
        }
        if (!MediaTypes.isImageManifest(manifest.mediaType()) || MediaTypes.isSchema1(manifest.mediaType())) {
            return false;
        }
        String config = manifest.manifest().config() == null ? null : manifest.manifest().config().mediaType();
        if (!MediaTypes.DOCKER_CONFIG.equals(config) && !MediaTypes.OCI_CONFIG.equals(config)) {
            throw new RegctlException(Kind.USAGE, name + ": a docker archive holds container images only, not artifacts"
                    + " (this one's config is " + (config == null ? "missing" : config) + ")",
                    "write it to an OCI archive instead: oci-archive:" + path, null);
        }
        for (Descriptor layer : manifest.manifest().layers()) {
            refuseUnheld(manifest, layer);
        }
        return true;
    }

    private void refuseUnheld(RawManifest manifest, Descriptor layer) {
        String type = layer.mediaType();
        if (MediaTypes.isNonDistributable(type)) {
            throw new RegctlException(Kind.USAGE, name + ": image " + manifest.digest() + " has a layer that lives at its URLs"
                    + " (" + layer.digest() + ", " + type + "), which a docker archive cannot point to",
                    "write it to an OCI archive, which keeps the layer's URLs: oci-archive:" + path, null);
        }
        boolean keys = layer.annotations() != null
                && layer.annotations().keySet().stream().anyMatch(k -> k.startsWith(ENCRYPTION_ANNOTATIONS));
        if (MediaTypes.isEncrypted(type) || keys) {
            throw new RegctlException(Kind.USAGE, name + ": image " + manifest.digest() + " has an encrypted layer ("
                    + layer.digest() + ", " + type + "), whose keys a docker archive cannot hold",
                    "decrypt it first (skopeo copy --decryption-key), or write it to an OCI archive: oci-archive:" + path, null);
        }
    }

    /**
     * A tag of the form {@code repo:tag} names itself; a bare one needs the repository the
     * destination names, and without one the copy is refused (exit 2) before any image is read.
     */
    @Override
    public boolean canHoldTag(String tag) {
        if (tag != null && !ArchiveReference.hasTag(tag) && repository == null) {
            throw needsRepository(tag);
        }
        try {
            return repoTag(tag) != null;
        } catch (RegctlException e) {
            return false;
        }
    }

    private RegctlException needsRepository(String tag) {
        return new RegctlException(Kind.USAGE, name + ": tag \"" + tag + "\" needs a repository to be named under"
                + " in a docker archive; name the repository: " + name + ":NAME");
    }

    /**
     * The {@code RepoTags} value for a tag: a {@code repo:tag} as it is, a bare tag under the
     * repository the destination named; null when there is none to name it under.
     */
    private String repoTag(String tag) {
        if (tag == null) {
            return null;
        }
        if (ArchiveReference.hasTag(tag)) {
            return ArchiveReference.dockerName(tag);
        }
        return repository == null ? null : ArchiveReference.dockerName(repository + ":" + tag);
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        if (!canStore(manifest)) {
            throw new RegctlException(Kind.UNSUPPORTED, name + ": a docker archive cannot hold a "
                    + manifest.mediaType() + " manifest");
        }
        String repoTag = repoTag(tag);
        if (tag != null && repoTag == null) {
            throw needsRepository(tag);
        }
        synchronized (entries) {
            Entry entry = entries.computeIfAbsent(manifest.digest(), d -> new Entry(manifest.manifest(), new ArrayList<>()));
            if (repoTag != null && !entry.repoTags.contains(repoTag)) {
                entries.values().forEach(e -> e.repoTags.remove(repoTag));
                entry.repoTags.add(repoTag);
            }
        }
    }

    /** Writes {@code manifest.json}, every blob it names being in, and puts the archive in place. */
    @Override
    public void commit() {
        ArrayNode list = Json.mapper().createArrayNode();
        synchronized (entries) {
            for (Entry entry : entries.values()) {
                ObjectNode image = list.addObject();
                image.put("Config", OciArchiveContent.blobName(entry.manifest.config().digest()));
                ArrayNode tags = image.putArray("RepoTags");
                entry.repoTags.forEach(tags::add);
                ArrayNode layers = image.putArray("Layers");
                entry.manifest.layers().forEach(l -> layers.add(OciArchiveContent.blobName(l.digest())));
            }
        }
        try {
            writer.commit("manifest.json", Json.mapper().writeValueAsBytes(list));
        } catch (IOException e) {
            throw new RegctlException(Kind.FAILURE, name + ": manifest.json: " + e.getMessage(), null, e);
        }
    }

    /** The repository bare tags go under, or are listed from when read: the one {@code ref} names, or null. */
    static String repositoryOf(ArchiveReference ref) {
        return ref.name() == null ? null : Reference.parse(ref.name()).familiarName();
    }
}
