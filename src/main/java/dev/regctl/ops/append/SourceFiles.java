package dev.regctl.ops.append;

import dev.regctl.RegctlException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Reads what an {@code --add} names from the local disk, before anything is pulled or pushed, so
 * a missing or unsuitable SRC stops the run at once. Links inside a directory are refused rather
 * than followed or stored (Jib's layers hold files and directories only); SRC itself may be a link,
 * as the user named it. Only names, modes and identities are read here: the content is read
 * once, later, by {@link SourceSnapshot}, which checks that each file is still the one seen here.
 */
public final class SourceFiles {
    /** Deeper than any real tree; bounds a walk over a hostile or looping one. */
    static final int MAX_DEPTH = 256;

    private SourceFiles() {
    }

    /** The layer contents of {@code add}. */
    public static LayerFiles read(AddedPath add) {
        Path src;
        try {
            src = add.source().toRealPath();
        } catch (NoSuchFileException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source() + ": no such file or directory");
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source() + ": " + e.getMessage());
        }
        List<LayerFiles.Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(src)) {
            requireRegular(add, src);
            if (add.destination().equals("/")) {
                // A tar entry with an empty name: what a reader makes of it is anyone's guess.
                throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source()
                        + ":/: a file cannot be the image's root directory",
                        "give it a path: --add " + add.source() + ":/" + src.getFileName(), null);
            }
            entries.add(new LayerFiles.Entry(src, add.destination(), mode(src, 0644), false, fileKey(add, src)));
            return new LayerFiles(add.destination(), src, entries);
        }
        try {
            Files.walkFileTree(src, Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String path = imagePath(add, src, dir);
                    // The image's root is no entry of a layer: it has no name in a tar, and is every base's already.
                    if (!path.equals("/")) {
                        entries.add(new LayerFiles.Entry(dir, path, mode(dir, 0755), true, null));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isDirectory()) {
                        throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source() + ": "
                                + file + " is more than " + MAX_DEPTH + " directories deep");
                    }
                    requireRegular(add, file);
                    entries.add(new LayerFiles.Entry(file, imagePath(add, src, file), mode(file, 0644), false, attrs.fileKey()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source() + ": cannot read "
                            + file + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source() + ": " + e.getMessage());
        }
        entries.sort(Comparator.comparing(LayerFiles.Entry::path));
        return new LayerFiles(add.destination(), src, entries);
    }

    private static void requireRegular(AddedPath add, Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source() + ": " + file
                    + " is a symbolic link, which append does not store", "add what it points to instead", null);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source() + ": " + file
                    + " is not a regular file or directory");
        }
        if (!Files.isReadable(file)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source() + ": " + file + " is not readable");
        }
    }

    private static Object fileKey(AddedPath add, Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--add " + add.source() + ": cannot read " + file
                    + ": " + e.getMessage());
        }
    }

    private static String imagePath(AddedPath add, Path root, Path file) {
        String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        return relative.isEmpty() ? add.destination() : ImagePaths.join(add.destination(), relative);
    }

    /** The permission bits on disk; {@code fallback} where the file system has none (Windows). */
    private static int mode(Path file, int fallback) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return fallback;
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "cannot read the mode of " + file + ": " + e.getMessage());
        }
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }
}
