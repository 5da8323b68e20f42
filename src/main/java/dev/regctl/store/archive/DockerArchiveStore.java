package dev.regctl.store.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ContentMismatchException;
import dev.regctl.store.ImageStore;
import dev.regctl.store.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A docker archive ({@code docker save}'s tar, or skopeo's {@code docker-archive:}) read as an
 * {@link ImageStore}: its images are the entries of {@code manifest.json}, named by their
 * {@code RepoTags}, each with a docker schema 2 manifest built for it (the archive stores none).
 * Read-only: a docker archive is written whole by a copy.
 */
final class DockerArchiveStore implements ImageStore {

    private final String name;
    private final ArchiveFile archive;
    private final List<DockerArchiveImage> images;

    private DockerArchiveStore(String name, ArchiveFile archive, List<DockerArchiveImage> images) {
        this.name = name;
        this.archive = archive;
        this.images = images;
    }

    /** Reads {@code manifest.json} and every image it lists; the archive is closed with the store. */
    static DockerArchiveStore read(String name, ArchiveFile archive) throws IOException {
        if (archive.index().find("manifest.json").isEmpty()) {
            throw new BadArchiveException("not a docker archive: it has no manifest.json"
                    + (archive.index().find("index.json").isPresent() ? "; it has an index.json: read it as oci-archive:" : ""));
        }
        TarEntry entry = archive.file("manifest.json", "file");
        JsonNode list;
        try {
            list = Json.readTree(archive.readAll(entry, RawManifest.MAX_SIZE, "manifest.json"));
        } catch (BadArchiveException e) {
            throw e;
        } catch (IOException e) {
            throw new BadArchiveException("manifest.json is not JSON");
        }
        if (list == null || !list.isArray()) {
            throw new BadArchiveException("manifest.json is not a list of images");
        }
        List<DockerArchiveImage> images = new ArrayList<>();
        MemberDigests digests = new MemberDigests(archive);
        for (int i = 0; i < list.size(); i++) {
            images.add(DockerArchiveImage.read(archive, list.get(i), i + 1, digests));
        }
        return new DockerArchiveStore(name, archive, List.copyOf(images));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> notice() {
        return Optional.of(name + " stores no manifests: the docker schema 2 manifest is built from its config"
                + " and layers as stored (their digests kept), so its digest is not the one the image had in a registry");
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        return image(reference).manifest();
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        return findManifest(reference).map(RawManifest::descriptor);
    }

    /**
     * The archive's only image, by its first name. Several images are a choice the user makes,
     * as with a layout: they are named in the message.
     */
    @Override
    public String onlyImage() {
        if (images.isEmpty()) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": the archive holds no image");
        }
        if (images.size() > 1) {
            throw new RegctlException(Kind.USAGE, name + " holds " + images.size() + " images; name one",
                    "choices: " + String.join(", ", images.stream().limit(10).map(DockerArchiveImage::name).toList())
                            + (images.size() > 10 ? ", ..." : ""), null);
        }
        return images.get(0).name();
    }

    private DockerArchiveImage image(String reference) {
        if (Digest.isDigest(reference)) {
            Digest digest = Digest.parse(reference);
            for (DockerArchiveImage image : images) {
                if (image.manifest().digest().equals(digest)) {
                    return image;
                }
            }
            throw new RegctlException(Kind.NOT_FOUND, name + ": manifest " + digest + " not found");
        }
        String wanted = ArchiveReference.dockerName(reference);
        for (DockerArchiveImage image : images) {
            if (image.repoTags().contains(wanted)) {
                return image;
            }
        }
        List<String> tags = listTags();
        throw new RegctlException(Kind.NOT_FOUND, name + ": no image named \"" + wanted + "\"",
                tags.isEmpty() ? "the archive's images have no names" : "names in the archive: "
                        + String.join(", ", tags.subList(0, Math.min(10, tags.size()))), null);
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        return member(blob.digest()).map(e -> e.size() == blob.size()).orElse(false);
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        TarEntry entry = member(blob.digest()).orElseThrow(() ->
                new RegctlException(Kind.NOT_FOUND, name + ": blob " + blob.digest() + " not found"));
        if (entry.size() != blob.size()) {
            ContentMismatchException mismatch = new ContentMismatchException("size mismatch: expected "
                    + blob.size() + " bytes, the archive has " + entry.size());
            throw new RegctlException(Kind.FAILURE, name + ": blob " + blob.digest() + ": " + mismatch.getMessage(),
                    null, mismatch);
        }
        return new VerifyingInputStream(archive.open(entry), blob.digest(), blob.size());
    }

    private Optional<TarEntry> member(Digest digest) {
        for (DockerArchiveImage image : images) {
            TarEntry entry = image.blobs().get(digest);
            if (entry != null) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    @Override
    public long blobSize(Digest blob) {
        return member(blob).map(TarEntry::size).orElseThrow(() ->
                new RegctlException(Kind.NOT_FOUND, name + ": blob " + blob + " not found"));
    }

    /** Every image's names, once each, in archive order. */
    @Override
    public List<String> listTags() {
        Set<String> tags = new LinkedHashSet<>();
        images.forEach(i -> tags.addAll(i.repoTags()));
        return new ArrayList<>(tags);
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        throw readOnly();
    }

    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        throw readOnly();
    }

    @Override
    public void deleteManifest(Digest digest) {
        throw readOnly();
    }

    private RegctlException readOnly() {
        return new RegctlException(Kind.UNSUPPORTED, name + ": cannot be changed in place; copy the images to a new one");
    }

    @Override
    public void close() {
        try {
            archive.close();
        } catch (IOException e) {
            // Read-only: nothing is lost; the temporary copy, if any, goes with the process.
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
