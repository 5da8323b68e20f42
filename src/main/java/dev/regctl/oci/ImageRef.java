package dev.regctl.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an image lives as the user named it, and the questions every command asks of that
 * name, answered the same way for a registry {@link Reference}, an OCI layout
 * {@link LayoutReference} and a tar archive {@link ArchiveReference}: which kind of store,
 * which tag or digest (and whether the user gave either), whether two names are the same
 * repository, and how to show it.
 */
public sealed interface ImageRef permits Reference, LayoutReference, ArchiveReference {

    /** The kinds of place an image can live. */
    enum StoreKind { REGISTRY, LAYOUT, ARCHIVE }

    /**
     * Parses {@code oci:PATH[:TAG|@DIGEST]} and {@code ocidir://...} as layouts,
     * {@code docker-archive:PATH[:REF]} and {@code oci-archive:PATH[:TAG]} as archives, and anything
     * else, {@code docker://} included, as a registry reference.
     */
    static ImageRef parse(String s) {
        if (ArchiveReference.isArchive(s)) {
            return ArchiveReference.parse(s);
        }
        return LayoutReference.isLayout(s) ? LayoutReference.parse(s) : Reference.parse(s);
    }

    StoreKind kind();

    /** The tag the user gave, or null when none was (a registry reference then means {@code latest}). */
    String tag();

    /** The digest the user gave, or null. */
    Digest digest();

    /** True when a tag or a digest was given: the name is of one image, not of a repository or layout. */
    default boolean namesImage() {
        return tag() != null || digest() != null;
    }

    /**
     * What to look the image up by in its store: the digest when given, else the tag, else the
     * store's default ({@code latest} for a registry, null for a layout, which then needs its only image).
     */
    String lookup();

    /** True when both name the same repository (registry) or the same layout directory. */
    boolean sameRepository(ImageRef other);

    /** The same repository or layout with {@code tag}; a digest given stays. */
    ImageRef withTag(String tag);

    /**
     * The same repository, layout or archive naming {@code digest} alone, without a tag; with
     * null, naming neither: the store itself.
     */
    ImageRef withDigestOnly(Digest digest);

    /**
     * True when an image of this store can be named by its manifest digest. A docker archive
     * stores no manifest (one is built from {@code manifest.json} on every read), so its images
     * are named only as given: by NAME:TAG, {@code @N}, or as its only image.
     */
    default boolean namesManifestsByDigest() {
        return true;
    }

    /**
     * True when the store is written whole by one copy and put in place at its end (an archive),
     * so nothing is ever added to it where it stands: no tag, no blob, no index.
     */
    default boolean writtenWhole() {
        return false;
    }

    /**
     * The one manifest format the store keeps, when it keeps only one: a docker archive holds
     * configs and layers, and is read back as Docker schema 2 whatever was written.
     */
    default Optional<ManifestFormat> onlyFormat() {
        return Optional.empty();
    }

    /**
     * True when the store is an OCI image layout, as a directory or packed in an
     * {@code oci-archive:}, whose {@code index.json} other tools look tags up in.
     */
    default boolean isOciLayout() {
        return false;
    }

    /**
     * The tag a copy writes under here, given what the source was looked up by: the tag given;
     * none when only a digest was given; else a registry's {@code latest} (as docker, skopeo and
     * crane do) and a layout's source tag (a layout holds many images, so it keeps their names).
     */
    String tagForCopyOf(String sourceReference);

    /** The registry API hosts talking to this store needs: one for a registry, none for a layout. */
    List<String> apiHosts();

    /**
     * The parts under stable names, nulls kept so {@code jq} scripts can rely on every key:
     * {@code registry, repository, tag, digest, familiar} or {@code layout, tag, digest}.
     */
    Map<String, Object> fields();

    /** The repository or layout without tag or digest, for messages. */
    String repositoryName();
}
