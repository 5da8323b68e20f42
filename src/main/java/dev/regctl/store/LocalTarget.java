package dev.regctl.store;

import dev.regctl.RegctlException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a layout or an archive is to be written on this machine, checked when it is named: a
 * path in the way fails the run before anything is read from the source, in words, instead of
 * half way through a transfer.
 */
public final class LocalTarget {

    private LocalTarget() {
    }

    /**
     * Fails unless {@code dir} is a directory or can be made one: nothing but directories stands
     * at it or above it.
     *
     * @param name the layout as the user named it, e.g. {@code oci:/x/out}
     */
    public static void requireDirectory(String name, Path dir) {
        Path path = dir.toAbsolutePath();
        if (Files.exists(path)) {
            if (!Files.isDirectory(path)) {
                throw refused(name + ": " + kind(path) + ", not a layout directory",
                        "name a new or empty directory, or an OCI layout");
            }
            return;
        }
        requireDirectoriesAbove(name, path);
    }

    /**
     * Fails unless {@code file} can be written as a new file: it is not a directory, and its
     * directory exists.
     *
     * @param name the archive as the user named it, e.g. {@code oci-archive:/x/out.tar}
     */
    public static void requireFile(String name, Path file) {
        Path path = file.toAbsolutePath();
        if (Files.isDirectory(path)) {
            throw refused(name + ": a directory, not an archive file", "name a file in it, e.g. " + path.resolve("image.tar"));
        }
        requireDirectoriesAbove(name, path);
        Path dir = path.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw refused(name + ": no directory " + dir + " to write the archive in", "make it first: mkdir -p " + dir);
        }
    }

    /** The nearest of {@code path}'s parents that exists must be a directory. */
    private static void requireDirectoriesAbove(String name, Path path) {
        for (Path up = path.getParent(); up != null; up = up.getParent()) {
            if (Files.exists(up)) {
                if (!Files.isDirectory(up)) {
                    throw refused(name + ": " + up + " is " + kind(up) + ", not a directory", null);
                }
                return;
            }
        }
    }

    private static String kind(Path path) {
        return Files.isRegularFile(path) ? "a file" : "a special file";
    }

    private static RegctlException refused(String message, String hint) {
        return new RegctlException(RegctlException.Kind.USAGE, message, hint, null);
    }
}
