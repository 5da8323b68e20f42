package dev.regctl.oci;

import dev.regctl.RegctlException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An image in an OCI image layout directory: {@code oci:DIR}, {@code oci:DIR:TAG} or
 * {@code oci:DIR@DIGEST}, and the same after {@code ocidir://}. DIR ends at the first {@code :},
 * as skopeo reads it, so TAG may be any {@code org.opencontainers.image.ref.name}, colons and
 * slashes included ({@code oci:dir:docker.io/library/hello:1.0}).
 *
 * @param path   the layout directory, as given (not resolved against the working directory)
 * @param tag    the ref.name, or null when none was given
 * @param digest the digest, or null when none was given
 */
public record LayoutReference(Path path, String tag, Digest digest) implements ImageRef {

    private static final String OCI = "oci:";
    private static final String OCIDIR = "ocidir://";
    /**
     * The OCI image-layout grammar of {@code ref.name}: components of letters and digits joined
     * by {@code -._:@+} or {@code --}, separated by {@code /}.
     */
    private static final Pattern REF_NAME = Pattern.compile(
            "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*");
    /** Far beyond any real name; bounds what a hostile index.json can make regctl carry around. */
    private static final int MAX_REF_NAME = 1024;

    /** Validates the tag; the path is not checked for existence, which is the store's business. */
    public LayoutReference {
        if (path == null || path.toString().isEmpty()) {
            throw new RegctlException(RegctlException.Kind.USAGE,
                    "invalid OCI layout reference: missing directory; expected oci:DIR[:TAG|@DIGEST]");
        }
        if (tag != null && !isRefName(tag)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid OCI layout reference: tag "
                    + DockerGrammar.quote(tag) + " is not a valid ref.name (letters and digits joined by"
                    + " \"-._:@+\", in components separated by \"/\")");
        }
    }

    /** A layout reference to the layout's only image (or, for writing, to none in particular). */
    public LayoutReference(Path path) {
        this(path, null, null);
    }

    /** True when {@code s} names an OCI layout rather than a registry image. */
    public static boolean isLayout(String s) {
        return s != null && (s.startsWith(OCI) || s.startsWith(OCIDIR));
    }

    /** True when {@code name} is a valid {@code org.opencontainers.image.ref.name}. */
    public static boolean isRefName(String name) {
        return name.length() <= MAX_REF_NAME && REF_NAME.matcher(name).matches();
    }

    /** Parses {@code oci:DIR[:TAG]}, {@code oci:DIR@DIGEST} or the same after {@code ocidir://}. */
    public static LayoutReference parse(String input) {
        if (!isLayout(input)) {
            throw invalid(input, "expected oci:DIR[:TAG] or oci:DIR@DIGEST");
        }
        String rest = input.substring(input.startsWith(OCIDIR) ? OCIDIR.length() : OCI.length());
        if (rest.isEmpty()) {
            throw invalid(input, "missing directory; expected oci:DIR[:TAG] or oci:DIR@DIGEST");
        }
        TransportPath split = TransportPath.split(rest, input.length() - rest.length(), "directory", "tag",
                problem -> invalid(input, problem));
        String path = split.path();
        try {
            return new LayoutReference(Path.of(path), split.name(), split.digest());
        } catch (InvalidPathException e) {
            throw invalid(input, "invalid directory " + DockerGrammar.quote(path) + ": " + e.getReason());
        } catch (RegctlException e) {
            throw invalid(input, e.getMessage().replaceFirst("^invalid OCI layout reference: ", ""));
        }
    }

    @Override
    public StoreKind kind() {
        return StoreKind.LAYOUT;
    }

    @Override
    public String lookup() {
        return digest != null ? digest.toString() : tag;
    }

    @Override
    public boolean sameRepository(ImageRef other) {
        return other instanceof LayoutReference l
                && l.path.toAbsolutePath().normalize().equals(path.toAbsolutePath().normalize());
    }

    @Override
    public LayoutReference withTag(String newTag) {
        return new LayoutReference(path, newTag, digest);
    }

    @Override
    public LayoutReference withDigestOnly(Digest newDigest) {
        return new LayoutReference(path, null, newDigest);
    }

    @Override
    public boolean isOciLayout() {
        return true;
    }

    @Override
    public String tagForCopyOf(String sourceReference) {
        if (tag != null || digest != null) {
            return tag;
        }
        return Digest.isDigest(sourceReference) ? null : sourceReference;
    }

    @Override
    public List<String> apiHosts() {
        return List.of();
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("layout", path.toString());
        fields.put("tag", tag);
        fields.put("digest", digest == null ? null : digest.toString());
        return fields;
    }

    @Override
    public String repositoryName() {
        return OCI + path;
    }

    /** The canonical written form, {@code oci:DIR[:TAG][@DIGEST]}. */
    @Override
    public String toString() {
        return OCI + path + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    private static RegctlException invalid(String input, String problem) {
        return new RegctlException(RegctlException.Kind.USAGE,
                "invalid OCI layout reference " + DockerGrammar.quote(input == null ? "" : input) + ": " + problem);
    }
}
