package dev.regctl.ops.artifact;

import dev.regctl.RegctlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One {@code FILE[:MEDIATYPE]} of {@code artifact push} and {@code attach}: a local file or
 * directory, and the media type of its layer when the user named one.
 *
 * @param path      the file or directory
 * @param mediaType the layer's media type as given, or null for the default
 */
public record ArtifactFile(Path path, String mediaType) {

    /** RFC 6838's type/subtype, with the suffixes and parameters-free names registries use. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    /**
     * Parses {@code FILE[:MEDIATYPE]}, split at the last {@code :} only when what follows is a
     * media type ({@code type/subtype}), so a file name with colons of its own stays whole.
     */
    public static ArtifactFile parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon > 0 && MEDIA_TYPE.matcher(spec.substring(colon + 1)).matches()) {
            return new ArtifactFile(path(spec, spec.substring(0, colon)), spec.substring(colon + 1));
        }
        if (colon == spec.length() - 1 && colon > 0) {
            throw new RegctlException(RegctlException.Kind.USAGE, "artifact file \"" + spec + "\": the media type after : is empty",
                    "write FILE, or FILE:TYPE/SUBTYPE", null);
        }
        return new ArtifactFile(path(spec, spec), null);
    }

    /** The layer's title: the file's own name, as ORAS writes it. */
    public String title() {
        Path name = path.toAbsolutePath().normalize().getFileName();
        if (name == null) {
            throw new RegctlException(RegctlException.Kind.USAGE, "artifact file " + path + ": the root directory has no name to title it with",
                    "push a directory below it", null);
        }
        return name.toString();
    }

    /**
     * True for a directory, which becomes one tar+gzip layer unpacked on pull. The path itself may
     * be a link, as the user named it; links inside the directory are refused when it is packed.
     */
    public boolean isDirectory() {
        return Files.isDirectory(path);
    }

    private static Path path(String spec, String file) {
        if (file.isEmpty()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "artifact file \"" + spec + "\": no file named");
        }
        try {
            return Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "artifact file \"" + spec + "\": not a path: " + e.getReason());
        }
    }
}
