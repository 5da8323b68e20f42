package dev.regctl.ops.append;

import dev.regctl.RegctlException;

import java.nio.file.Files;
import java.nio.file.LinkOption;
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
            requireNoRelativeDestination(spec, source);
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

    /**
     * {@code tool.sh:bin/tool}, a SRC that does not exist with a colon in it, is a DEST that is
     * not absolute rather than a file to look for: say so instead of "no such file".
     */
    private static void requireNoRelativeDestination(String spec, Path whole) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || Files.exists(whole, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String src = spec.substring(0, colon);
        String dest = spec.substring(colon + 1);
        if (dest.isEmpty()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--add " + spec + ": DEST is empty",
                    "--add " + src + " puts it at /NAME; --add " + src + ":/PATH puts it at /PATH", null);
        }
        throw new RegctlException(RegctlException.Kind.USAGE, "--add " + spec + ": DEST \"" + dest
                + "\" must be absolute, a path in the image from /", "--add " + src + ":/" + dest, null);
    }

    private static RegctlException usage(String spec, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, "--add " + spec + ": " + why,
                "--add SRC[:DEST], DEST an absolute path in the image", null);
    }
}
