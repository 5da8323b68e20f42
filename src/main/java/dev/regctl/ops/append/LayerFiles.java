package dev.regctl.ops.append;

import java.nio.file.Path;
import java.util.List;

/**
 * The files of one {@code --add}, as they will be in its layer: sorted by image path, each
 * directory before what it holds, modes as on disk.
 *
 * @param name  what the layer's history entry says it holds (its destination)
 * @param files the entries, in order
 */
public record LayerFiles(String name, List<Entry> files) {

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
     */
    public record Entry(Path source, String path, int mode, boolean directory) {
    }
}
