package dev.regctl.ops.append;

import java.nio.file.Path;
import java.util.List;

/**
 * The files of one {@code --add}, as they will be in its layer: sorted by image path, each
 * directory before what it holds, modes as on disk.
 *
 * @param name  what the layer's history entry says it holds (its destination)
 * @param root  the directory or file the entries were found in (SRC, its links resolved); every
 *              entry's source is inside it, or is it
 * @param files the entries, in order
 */
public record LayerFiles(String name, Path root, List<Entry> files) {

    public LayerFiles {
        files = List.copyOf(files);
    }

    /**
     * One file or directory.
     *
     * @param source    where its bytes are (for a file)
     * @param path      its absolute path in the image
     * @param mode      the permission bits, {@code 0755} and the like
     * @param directory true for a directory
     * @param fileKey   what identifies the file on its file system when it was checked (device
     *                  and inode), so that a file put in its place later is told apart; null
     *                  where the file system has none, and for directories
     */
    public record Entry(Path source, String path, int mode, boolean directory, Object fileKey) {
    }
}
