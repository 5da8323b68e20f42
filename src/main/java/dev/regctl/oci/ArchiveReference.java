package dev.regctl.oci;

import dev.regctl.RegctlException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image in a tar archive, as skopeo names it: {@code docker-archive:PATH[:REF]} for what
 * {@code docker save} writes and {@code docker load} reads, and {@code oci-archive:PATH[:TAG]}
 * (or {@code oci-archive:PATH@DIGEST}) for an OCI image layout packed as tar. PATH ends at the
 * first {@code :}. In a docker archive REF is a docker reference ({@code app:1},
 * {@code localhost:5000/app:1}), kept in docker's short form as {@code docker save} writes its
 * {@code RepoTags}; a REF without a tag means {@code :latest} for one image, as skopeo reads it,
 * and with {@code --all-tags} the repository the tags are named under. In an OCI
 * archive TAG is an {@code org.opencontainers.image.ref.name}. Without REF or TAG the name means
 * the archive's only image, and when written, an image without a name (docker) or the source's
 * tag (OCI, as a layout keeps it). A docker archive's images may also be picked by their place in
 * its {@code manifest.json}, as skopeo reads {@code docker-archive:PATH:@N} (from 0): the only way
 * to name the images of {@code docker save ID1 ID2}, which have no names.
 *
 * @param format      which of the two archive formats
 * @param path        the archive file, as given
 * @param name        the docker reference (short form) or the OCI ref.name; null when none
 * @param digest      the digest (OCI archives only), or null
 * @param sourceIndex the place {@code @N} gives (docker archives read only), or null
 */
public record ArchiveReference(Format format, Path path, String name, Digest digest, Integer sourceIndex)
        implements ImageRef {

    private static final Pattern SOURCE_INDEX = Pattern.compile("@([0-9]{1,9})");

    /** The two archive formats. */
    public enum Format {
        /** {@code docker save}'s tar: {@code manifest.json}, configs and layer tars. */
        DOCKER("docker-archive:"),
        /** An OCI image layout packed as tar. */
        OCI("oci-archive:");

        private final String prefix;

        Format(String prefix) {
            this.prefix = prefix;
        }

        /** The transport prefix, e.g. {@code docker-archive:}. */
        public String prefix() {
            return prefix;
        }
    }


    /** An archive, or an image in it named by tag or digest. */
    public ArchiveReference(Format format, Path path, String name, Digest digest) {
        this(format, path, name, digest, null);
    }

    /** Validates the name for its format. */
    public ArchiveReference {
        if (format == null || path == null || path.toString().isEmpty()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid archive reference: missing file;"
                    + " expected docker-archive:PATH[:REF] or oci-archive:PATH[:TAG]");
        }
        if (name != null && format == Format.OCI && !LayoutReference.isRefName(name)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid archive reference: tag "
                    + DockerGrammar.quote(name) + " is not a valid ref.name (letters and digits joined by"
                    + " \"-._:@+\", in components separated by \"/\")");
        }
        if (name != null && format == Format.DOCKER) {
            dockerName(name);
            Reference parsed = Reference.parse(name);
            name = parsed.tag() == null ? parsed.familiarName() : parsed.familiar();
        }
        if (sourceIndex != null && (format != Format.DOCKER || name != null || sourceIndex < 0)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid archive reference: @N picks the N-th"
                    + " image of a docker archive's manifest.json, from 0, instead of a name");
        }
        if (digest != null && format == Format.DOCKER) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid archive reference: a docker archive"
                    + " has no manifest digests; name the image as docker-archive:PATH:NAME:TAG");
        }
    }

    /** True when {@code s} names an archive rather than a registry image or a layout. */
    public static boolean isArchive(String s) {
        return s != null && (s.startsWith(Format.DOCKER.prefix) || s.startsWith(Format.OCI.prefix));
    }

    /** Parses {@code docker-archive:PATH[:REF]}, {@code oci-archive:PATH[:TAG]} or {@code oci-archive:PATH@DIGEST}. */
    public static ArchiveReference parse(String input) {
        if (!isArchive(input)) {
            throw invalid(input, "expected docker-archive:PATH[:REF] or oci-archive:PATH[:TAG]");
        }
        Format format = input.startsWith(Format.DOCKER.prefix) ? Format.DOCKER : Format.OCI;
        String rest = input.substring(format.prefix.length());
        if (rest.isEmpty()) {
            throw invalid(input, "missing file; expected " + format.prefix + "PATH[:"
                    + (format == Format.DOCKER ? "REF" : "TAG") + "]");
        }
        TransportPath split = TransportPath.split(rest, format.prefix.length(), "file", "name",
                problem -> invalid(input, problem));
        String path = split.path();
        Matcher index = split.name() == null ? null : SOURCE_INDEX.matcher(split.name());
        boolean byIndex = format == Format.DOCKER && index != null && index.matches();
        if (format == Format.DOCKER && split.name() != null && split.name().startsWith("@") && !byIndex) {
            throw invalid(input, "\"" + split.name() + "\" is no image number; expected docker-archive:PATH:@N,"
                    + " N the image's place in manifest.json from 0");
        }
        try {
            if (byIndex) {
                return new ArchiveReference(format, Path.of(path), null, null, Integer.parseInt(index.group(1)));
            }
            return new ArchiveReference(format, Path.of(path), split.name(), split.digest());
        } catch (InvalidPathException e) {
            throw invalid(input, "invalid file name " + DockerGrammar.quote(path) + ": " + e.getReason());
        } catch (RegctlException e) {
            throw invalid(input, e.getMessage().replaceFirst("^invalid archive reference: ", ""));
        }
    }

    /**
     * A docker archive's name for an image, {@code repo:tag} in docker's short form as
     * {@code docker save} writes {@code RepoTags}; {@code :latest} when no tag is given.
     *
     * @throws RegctlException USAGE when it is no docker reference, or carries a digest
     */
    public static String dockerName(String name) {
        Reference ref = Reference.parse(name);
        if (ref.digest() != null) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid archive reference: "
                    + DockerGrammar.quote(name) + " has a digest, which a docker archive's names cannot hold");
        }
        return ref.familiar();
    }

    @Override
    public StoreKind kind() {
        return StoreKind.ARCHIVE;
    }

    @Override
    public String tag() {
        return name;
    }

    /**
     * A docker archive's name without a tag is a repository: for one image it means
     * {@code :latest}, as skopeo reads it, and for {@code --all-tags} the repository every tag is
     * named under.
     */
    @Override
    public boolean namesImage() {
        if (sourceIndex != null) {
            return true;
        }
        if (format == Format.DOCKER && name != null && digest == null) {
            return hasTag(name);
        }
        return ImageRef.super.namesImage();
    }

    /** True when a docker {@code repo[:tag]} has the tag. */
    public static boolean hasTag(String dockerName) {
        return dockerName.indexOf(':', dockerName.lastIndexOf('/') + 1) > 0;
    }

    /**
     * The digest, else the name; a docker archive's always with its tag ({@code app} is
     * {@code app:latest}), since a bare tag there is one of the repository the archive was named
     * with. Null for the archive's only image, or the one {@code @N} picks.
     */
    @Override
    public String lookup() {
        if (digest != null) {
            return digest.toString();
        }
        return name == null || format == Format.OCI ? name : dockerName(name);
    }

    @Override
    public boolean sameRepository(ImageRef other) {
        return other instanceof ArchiveReference a && a.format == format
                && a.path.toAbsolutePath().normalize().equals(path.toAbsolutePath().normalize());
    }

    @Override
    public ArchiveReference withTag(String newTag) {
        return new ArchiveReference(format, path, newTag, digest, newTag == null ? sourceIndex : null);
    }

    @Override
    public ArchiveReference withDigestOnly(Digest newDigest) {
        return new ArchiveReference(format, path, null, newDigest, null);
    }

    @Override
    public boolean namesManifestsByDigest() {
        return format == Format.OCI;
    }

    @Override
    public boolean writtenWhole() {
        return true;
    }

    @Override
    public Optional<ManifestFormat> onlyFormat() {
        return format == Format.DOCKER ? Optional.of(ManifestFormat.V2S2) : Optional.empty();
    }

    @Override
    public boolean isOciLayout() {
        return format == Format.OCI;
    }

    /**
     * The name given; none when only a digest was; else in an OCI archive the source's tag (as a
     * layout keeps it), and in a docker archive the source's name when it is already a docker
     * {@code repo:tag} (from another archive or layout), none otherwise, as skopeo writes it.
     */
    @Override
    public String tagForCopyOf(String sourceReference) {
        if (name != null || digest != null) {
            return name == null || format == Format.OCI ? name : dockerName(name);
        }
        if (sourceReference == null || Digest.isDigest(sourceReference)) {
            return null;
        }
        if (format == Format.OCI) {
            return sourceReference;
        }
        return hasTag(sourceReference) ? sourceReference : null;
    }

    @Override
    public List<String> apiHosts() {
        return List.of();
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("archive", path.toString());
        fields.put("format", format == Format.DOCKER ? "docker" : "oci");
        fields.put("tag", name);
        fields.put("digest", digest == null ? null : digest.toString());
        fields.put("index", sourceIndex);
        return fields;
    }

    @Override
    public String repositoryName() {
        return format.prefix + path;
    }

    /** The canonical written form, e.g. {@code docker-archive:/tmp/app.tar:app:1}. */
    @Override
    public String toString() {
        return format.prefix + path + (name == null ? "" : ":" + name) + (digest == null ? "" : "@" + digest)
                + (sourceIndex == null ? "" : ":@" + sourceIndex);
    }

    private static RegctlException invalid(String input, String problem) {
        return new RegctlException(RegctlException.Kind.USAGE,
                "invalid archive reference " + DockerGrammar.quote(input == null ? "" : input) + ": " + problem);
    }
}
