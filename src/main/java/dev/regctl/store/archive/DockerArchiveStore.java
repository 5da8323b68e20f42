package dev.regctl.store.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException.Kind;
import dev.regctl.RegctlException;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.Reference;
import dev.regctl.store.BadArchiveException;
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
 * {@code RepoTags}, each with a manifest built for it (the archive stores none). Named with a
 * repository ({@code docker-archive:PATH:app}), its tags are those of the names under it, as a
 * registry repository's are; otherwise they are the whole names. An image whose content cannot be
 * read (a layer missing, a link that leads nowhere allowed) is refused when it is asked for, and
 * the archive's other images stay readable. Read-only: a docker archive is written whole by a copy.
 */
final class DockerArchiveStore implements ImageStore {

    private final String name;
    private final ArchiveFile archive;
    private final List<Listed> images;
    private final String repository;
    private final Integer selected;

    /**
     * One entry of {@code manifest.json}: its image, or why it cannot be read.
     *
     * @param position where it stands in {@code manifest.json}, from 0, as {@code @N} counts
     * @param image    null when refused
     * @param refusal  why it is refused, or null
     */
    private record Listed(int position, List<String> repoTags, DockerArchiveImage image, String refusal) {

        /** How the user names it: its first name, else {@code @N}. */
        String choice() {
            return repoTags.isEmpty() ? "@" + position : repoTags.get(0);
        }
    }

    private DockerArchiveStore(String name, ArchiveFile archive, List<Listed> images, String repository, Integer selected) {
        this.name = name;
        this.archive = archive;
        this.images = images;
        this.repository = repository;
        this.selected = selected;
    }

    /**
     * Reads {@code manifest.json} and every image it lists; the archive is closed with the store.
     *
     * @param repository the repository whose names are its tags ({@code app} for {@code docker-archive:PATH:app}), or null
     * @param selected   the image {@code @N} picks, counted from 0, which is then the store's only image; or null
     */
    static DockerArchiveStore read(String name, ArchiveFile archive, String repository, Integer selected) throws IOException {
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
        List<Listed> images = new ArrayList<>();
        MemberDigests digests = new MemberDigests(archive);
        for (int i = 0; i < list.size(); i++) {
            String where = "manifest.json entry @" + i;
            List<String> repoTags = DockerArchiveImage.repoTags(list.get(i), where);
            try {
                images.add(new Listed(i, repoTags, DockerArchiveImage.read(archive, list.get(i), repoTags, where, digests), null));
            } catch (BadArchiveException e) {
                images.add(new Listed(i, repoTags, null, e.getMessage()));
            }
        }
        return new DockerArchiveStore(name, archive, List.copyOf(images), repository, selected);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> notice() {
        return Optional.of(name + " stores no manifests: the manifest is built from its config"
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
     * The image {@code @N} picked, else the archive's only image, by its first name. Several images
     * are a choice the user makes, as with a layout: they are named in the message, an image
     * without a name by its {@code @N}.
     */
    @Override
    public String onlyImage() {
        if (selected != null) {
            if (selected >= images.size()) {
                throw new RegctlException(Kind.NOT_FOUND, name + ": there is no image @" + selected + ": the archive holds "
                        + images.size() + (images.size() == 1 ? " image (@0)" : " images (@0 to @" + (images.size() - 1) + ")"));
            }
            return reference(images.get(selected));
        }
        if (images.isEmpty()) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": the archive holds no image");
        }
        if (images.size() > 1) {
            throw new RegctlException(Kind.USAGE, name + " holds " + images.size() + " images; name one, or pick one by"
                    + " its place in manifest.json: " + name + ":@N (from @0)",
                    "choices: " + String.join(", ", images.stream().limit(10).map(Listed::choice).toList())
                            + (images.size() > 10 ? ", ..." : ""), null);
        }
        return reference(images.get(0));
    }

    /** What fetches the image: its first name, else its manifest's digest; a refused one says why. */
    private String reference(Listed listed) {
        return readable(listed).name();
    }

    private DockerArchiveImage readable(Listed listed) {
        if (listed.image() == null) {
            throw new RegctlException(Kind.FAILURE, name + ": " + listed.refusal());
        }
        return listed.image();
    }

    /**
     * The image a reference names: a digest, a whole name ({@code app:1}), or a tag of the repository
     * the store was named with; without one, a bare name means {@code :latest}, as docker reads it.
     */
    private DockerArchiveImage image(String reference) {
        if (Digest.isDigest(reference)) {
            Digest digest = Digest.parse(reference);
            for (Listed listed : images) {
                if (listed.image() != null && listed.image().manifest().digest().equals(digest)) {
                    return listed.image();
                }
            }
            throw new RegctlException(Kind.NOT_FOUND, name + ": manifest " + digest + " not found");
        }
        String wanted = repository != null && !ArchiveReference.hasTag(reference)
                ? ArchiveReference.dockerName(repository + ":" + reference)
                : ArchiveReference.dockerName(reference);
        for (Listed listed : images) {
            if (listed.repoTags().contains(wanted)) {
                return readable(listed);
            }
        }
        List<String> names = new ArrayList<>(allNames());
        throw new RegctlException(Kind.NOT_FOUND, name + ": no image named \"" + wanted + "\"",
                names.isEmpty() ? "the archive's images have no names; pick one by its place: " + name + ":@N"
                        : "names in the archive: " + String.join(", ", names.subList(0, Math.min(10, names.size()))), null);
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
        for (Listed listed : images) {
            TarEntry entry = listed.image() == null ? null : listed.image().blobs().get(digest);
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

    /**
     * Named with a repository, the tags of the names under it, as a registry lists a repository's
     * tags; otherwise every image's names whole. Once each, in archive order.
     */
    @Override
    public List<String> listTags() {
        if (repository == null) {
            return new ArrayList<>(allNames());
        }
        List<String> tags = new ArrayList<>();
        for (String name : allNames()) {
            Reference parsed = Reference.parse(name);
            if (parsed.familiarName().equals(repository)) {
                tags.add(parsed.tag());
            }
        }
        return tags;
    }

    private Set<String> allNames() {
        Set<String> names = new LinkedHashSet<>();
        images.forEach(i -> names.addAll(i.repoTags()));
        return names;
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
