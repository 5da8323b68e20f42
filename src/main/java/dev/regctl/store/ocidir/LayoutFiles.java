package dev.regctl.store.ocidir;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * A layout's files and directories, reached without following links: a layout may come from
 * anyone, and a link inside it would let it hand over, or receive, files outside it. Only
 * regular files are read, so a FIFO or a device cannot hang or flood a reader.
 */
final class LayoutFiles {

    private static final int TYPE_MASK = 0170000;
    private static final int FIFO = 0010000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int SOCKET = 0140000;

    private LayoutFiles() {
    }

    /**
     * The attributes of {@code file}, which must be a regular file and not a link.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws RefusedFileException when it is anything else
     */
    static BasicFileAttributes regularFile(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw RefusedFileException.notARegularFile(file, kind(file, attributes));
        }
        return attributes;
    }

    /** Checks that {@code dir} is a directory and not a link to one. */
    static void directory(Path dir) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            throw RefusedFileException.notADirectory(dir, kind(dir, attributes));
        }
    }

    /** Makes {@code dir} unless it exists; either way it must then be a directory and not a link. */
    static void makeDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // Checked below, whatever it is.
        }
        directory(dir);
    }

    /** The whole of a regular file no bigger than {@code limit}, refused unread when it is bigger. */
    static byte[] readAll(Path file, int limit) throws IOException {
        long size = regularFile(file).size();
        if (size > limit) {
            throw RefusedFileException.tooLarge(file, size, limit);
        }
        try (InputStream in = openChecked(file)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                // It grew after the check; the cap still holds.
                throw RefusedFileException.tooLarge(file, bytes.length, limit);
            }
            return bytes;
        }
    }

    /**
     * Opens a file whose attributes were just checked (opening a FIFO would block until something
     * writes to it), still refusing a link that replaced the file since.
     */
    static InputStream openChecked(Path file) throws IOException {
        return Channels.newInputStream(Files.newByteChannel(file, Set.of(READ, NOFOLLOW_LINKS)));
    }

    /** What a path is, in words, for messages. */
    static String kind(Path path, BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return "a symlink";
        }
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isRegularFile()) {
            return "a regular file";
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW_LINKS);
            return switch (mode & TYPE_MASK) {
                case FIFO -> "a FIFO";
                case CHARACTER_DEVICE -> "a character device";
                case BLOCK_DEVICE -> "a block device";
                case SOCKET -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // No unix view on this platform: the general word will do.
            return "a special file";
        }
    }
}
