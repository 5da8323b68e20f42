package dev.regctl.ops.append;

import dev.regctl.RegctlException;

import java.nio.file.Path;

/**
 * One {@code --add SRC[:DEST]}: a local file or directory and where it goes in the image. A
 * directory's contents go under DEST; a file becomes DEST, or DEST/NAME when DEST ends in
 * {@code /}. Without DEST, {@code /NAME}.
 *
 * @param source      the local file or directory
 * @param destination an absolute path in the image, normalised, without a trailing {@code /}
 */
public record AddedPath(Path source, String destination) {

    /**
     * Parses {@code SRC[:DEST]}. DEST is absolute, so the split is at the last {@code ":/"}: a
     * SRC with colons of its own stays whole.
     */
    public static AddedPath parse(String spec) {
        int split = spec.lastIndexOf(":/");
        String src = split >= 0 ? spec.substring(0, split) : spec;
        if (src.isEmpty()) {
            throw usage(spec, "SRC is empty");
        }
        Path source = Path.of(src);
        Path name = source.toAbsolutePath().normalize().getFileName();
        if (split < 0) {
            if (name == null) {
                throw usage(spec, "give DEST for the root directory");
            }
            return new AddedPath(source, "/" + name);
        }
        String dest = spec.substring(split + 1);
        String normal = ImagePaths.normalise(dest, "--add " + spec);
        if (dest.endsWith("/") && !normal.equals("/")) {
            return new AddedPath(source, name == null ? normal : ImagePaths.join(normal, name.toString()));
        }
        return new AddedPath(source, normal);
    }

    private static RegctlException usage(String spec, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, "--add " + spec + ": " + why,
                "--add SRC[:DEST], DEST an absolute path in the image", null);
    }
}
