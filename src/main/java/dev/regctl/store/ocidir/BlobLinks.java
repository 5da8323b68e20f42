package dev.regctl.store.ocidir;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where a blob that is a symbolic link leads. debuerreotype links {@code blobs/sha256/<hex>} to
 * {@code ../rootfs.tar.gz}, and Bazel's rules_oci and rules_img link blobs to files of their
 * output tree, by relative or absolute paths. Such a link is followed only when every hop lies
 * inside the layout directory (its real path) and the last one is a regular file, so a layout
 * cannot hand over a file from elsewhere, a directory or a FIFO under a blob's name.
 */
final class BlobLinks {

    /** As many hops as Linux follows before it calls a chain a loop. */
    private static final int MAX_HOPS = 40;

    private BlobLinks() {
    }

    /**
     * The regular file the link {@code link} leads to, as a real path (no link in it) inside
     * {@code layoutDir}.
     *
     * @throws RefusedFileException naming {@code link} when it leads anywhere else or nowhere
     */
    static Path target(Path link, Path layoutDir) throws IOException {
        Path layout = layoutDir.toRealPath();
        Path current = link;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Path next = hopFrom(link, current, layout);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(next, BasicFileAttributes.class, NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                throw RefusedFileException.link(link, "a dangling symlink");
            }
            if (attributes.isSymbolicLink()) {
                current = next;
                continue;
            }
            if (!attributes.isRegularFile()) {
                throw RefusedFileException.link(link, "a symlink to " + LayoutFiles.kind(next, attributes));
            }
            return next;
        }
        throw RefusedFileException.link(link, "a symlink that does not resolve (a loop of links)");
    }

    /**
     * Where the link {@code current} points, as a real directory inside the layout and a name in
     * it; the name itself is looked at by the caller, so a link there is never followed unseen.
     */
    private static Path hopFrom(Path link, Path current, Path layout) throws IOException {
        Path named = current.getParent().resolve(Files.readSymbolicLink(current));
        Path name = named.getFileName();
        if (name == null || name.toString().equals(".") || name.toString().equals("..")) {
            throw RefusedFileException.link(link, "a symlink to a directory");
        }
        Path directory;
        try {
            directory = named.getParent().toRealPath();
        } catch (NoSuchFileException e) {
            throw RefusedFileException.link(link, "a dangling symlink");
        } catch (FileSystemException e) {
            String why = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
            throw RefusedFileException.link(link, "a symlink that does not resolve (" + why + ")");
        }
        if (!directory.startsWith(layout)) {
            throw RefusedFileException.link(link, "a symlink leading outside the layout");
        }
        return directory.resolve(name.toString());
    }
}
