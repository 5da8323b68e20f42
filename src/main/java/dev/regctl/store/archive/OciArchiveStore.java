package dev.regctl.store.archive;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.Attestations;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.Reference;
import dev.regctl.store.ImageStore;
import dev.regctl.store.ocidir.LayoutContent;
import dev.regctl.store.ocidir.LayoutIndex;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An OCI archive read as an {@link ImageStore}: an image layout in a tar, read by the layout's
 * rules, and two things more for what {@code docker save} (25 and later) writes. Its
 * {@code index.json} names each image by a bare tag ({@code org.opencontainers.image.ref.name}
 * {@code 1} for both {@code app:1} and {@code tool:1}) and by the full name in
 * {@code io.containerd.image.name}, which is taken when the tag does not name one image. And
 * from a multi-platform image it saves the whole index but only the blobs of the platform it has:
 * a manifest of that index that the archive lacks is said to be so, with the platforms it holds.
 */
final class OciArchiveStore implements ImageStore {

    /** Where containerd, and so docker's image store, writes an image's full name. */
    static final String IMAGE_NAME = "io.containerd.image.name";

    private final OciLayoutStore layout;
    private final LayoutContent content;
    private List<Descriptor> entries;

    OciArchiveStore(String name, LayoutContent content) {
        this.layout = OciLayoutStore.readOnly(name, content);
        this.content = content;
    }

    @Override
    public String name() {
        return layout.name();
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        try {
            return layout.fetchManifest(reference);
        } catch (RegctlException e) {
            if (Digest.isDigest(reference) && e.kind() == Kind.NOT_FOUND) {
                throw lackedPlatform(Digest.parse(reference)).orElse(e);
            }
            Optional<Digest> named = byImageName(reference, e);
            if (named.isEmpty()) {
                throw e;
            }
            return layout.fetchManifest(named.get());
        }
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        Optional<Descriptor> found;
        try {
            found = layout.headManifest(reference);
        } catch (RegctlException e) {
            return layout.headManifest(byImageName(reference, e).orElseThrow(() -> e).toString());
        }
        if (found.isPresent() || Digest.isDigest(reference)) {
            return found;
        }
        RegctlException notFound = new RegctlException(Kind.NOT_FOUND, name() + ": tag \"" + reference + "\" not found");
        return byImageName(reference, notFound).flatMap(d -> layout.headManifest(d.toString()));
    }

    /** The layout's only image; when it holds several, the choices are the images' full names where it has them. */
    @Override
    public String onlyImage() {
        try {
            return layout.onlyImage();
        } catch (RegctlException e) {
            if (e.kind() != Kind.USAGE) {
                throw e;
            }
            List<String> names = imageNames(entry -> true);
            throw names.isEmpty() ? e : new RegctlException(Kind.USAGE, e.getMessage(), "choices: " + firstTen(names), null);
        }
    }

    /**
     * The image {@code reference} names by its containerd name, in full ({@code docker.io/library/app:1})
     * or as docker shows it ({@code app:1}), when the layout's tags did not name one ({@code failed}).
     *
     * @throws RegctlException {@code failed}, with the names to use instead, when the tag is on several images
     */
    private Optional<Digest> byImageName(String reference, RegctlException failed) {
        if (failed.kind() != Kind.NOT_FOUND && failed.kind() != Kind.USAGE) {
            throw failed;
        }
        Set<Digest> matches = new LinkedHashSet<>();
        for (Descriptor entry : entries()) {
            String full = annotation(entry, IMAGE_NAME);
            if (full != null && entry.digest() != null && (full.equals(reference) || reference.equals(familiar(full)))) {
                matches.add(entry.digest());
            }
        }
        if (matches.size() == 1) {
            return Optional.of(matches.iterator().next());
        }
        if (failed.kind() == Kind.USAGE) {
            List<String> names = imageNames(entry -> reference.equals(annotation(entry, LayoutIndex.REF_NAME)));
            if (!names.isEmpty()) {
                throw new RegctlException(Kind.USAGE, failed.getMessage(), "name the image by its full name: "
                        + firstTen(names.stream().map(n -> name() + ":" + n).toList()), null);
            }
        }
        throw failed;
    }

    /** The containerd names of the entries {@code which} takes, as docker shows them, once each. */
    private List<String> imageNames(Predicate<Descriptor> which) {
        Set<String> names = new LinkedHashSet<>();
        for (Descriptor entry : entries()) {
            String full = annotation(entry, IMAGE_NAME);
            if (full != null && which.test(entry)) {
                names.add(Objects.requireNonNullElse(familiar(full), full));
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * When {@code missing} is a manifest of an index the archive holds, and the archive holds
     * others of that index's platforms, the failure that says which: {@code docker save} of a
     * multi-platform image keeps the index whole but only its own platform's blobs.
     */
    private Optional<RegctlException> lackedPlatform(Digest missing) {
        for (Descriptor entry : entries()) {
            if (entry.digest() == null || entry.digest().equals(missing)) {
                continue;
            }
            RawManifest index = layout.findManifest(entry.digest()).filter(RawManifest::isIndex).orElse(null);
            if (index == null) {
                continue;
            }
            List<Descriptor> children = index.index().manifests();
            Descriptor lacked = children.stream().filter(c -> missing.equals(c.digest())).findFirst().orElse(null);
            if (lacked == null) {
                continue;
            }
            Map<String, Boolean> platforms = new LinkedHashMap<>();
            for (Descriptor child : children) {
                if (child.platform() != null && !Attestations.isAttestation(child)) {
                    platforms.merge(child.platform().toString(), layout.hasBlob(child), Boolean::logicalOr);
                }
            }
            List<String> held = platforms.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
            if (held.isEmpty()) {
                return Optional.empty();
            }
            String which = lacked.platform() == null ? "" : " (" + lacked.platform() + ")";
            return Optional.of(new RegctlException(Kind.NOT_FOUND, name() + ": manifest " + missing + which + " of index "
                    + index.digest() + " is not in the archive, which holds " + String.join(", ", held) + " of its "
                    + platforms.size() + " platforms", "pick what it holds with --platform "
                    + String.join(" or --platform ", held), null));
        }
        return Optional.empty();
    }

    /** index.json's entries; none when it cannot be read, which the layout's own reads then report. */
    private synchronized List<Descriptor> entries() {
        if (entries == null) {
            try {
                entries = LayoutIndex.parse(content.index()).entries();
            } catch (IOException | RuntimeException e) {
                entries = List.of();
            }
        }
        return entries;
    }

    private static String annotation(Descriptor entry, String key) {
        return entry.annotations() == null ? null : entry.annotations().get(key);
    }

    /** A full name as docker shows it ({@code app:1}); null when it is no docker reference. */
    private static String familiar(String full) {
        try {
            return Reference.parse(full).familiar();
        } catch (RegctlException e) {
            return null;
        }
    }

    private static String firstTen(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(10, names.size()))) + (names.size() > 10 ? ", ..." : "");
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        layout.putManifest(manifest, tag);
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        return layout.hasBlob(blob);
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        return layout.openBlob(blob);
    }

    @Override
    public long blobSize(Digest blob) {
        return layout.blobSize(blob);
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
    public boolean canStore(RawManifest manifest) {
        return layout.canStore(manifest);
    }

    @Override
    public List<String> listTags() {
        return layout.listTags();
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
    public void close() {
        layout.close();
    }

    @Override
    public String toString() {
        return layout.toString();
    }
}
