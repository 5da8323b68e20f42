package dev.regctl.store.ocidir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A path in a layout that regctl will not read or write through: a link, a FIFO, a device, a
 * directory where a file belongs (or the reverse), or a file too large to hold. The layout
 * store names it relative to the layout in a one-line message.
 */
final class RefusedFileException extends IOException {

    private final Path path;
    private final String problem;

    private RefusedFileException(Path path, String problem) {
        super(path + " " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** {@code path} is {@code actual} (e.g. "a symlink") where a regular file belongs. */
    static RefusedFileException notARegularFile(Path path, String actual) {
        return new RefusedFileException(path, "is not a regular file (" + actual + "); refusing to read it");
    }

    /** The blob link {@code path} is {@code what} (e.g. "a symlink leading outside the layout"). */
    static RefusedFileException link(Path path, String what) {
        return new RefusedFileException(path, "is " + what + "; refusing to read it"
                + " (a blob may be a link only to a regular file inside the layout)");
    }

    /** {@code path} is {@code actual} where a directory belongs. */
    static RefusedFileException notADirectory(Path path, String actual) {
        return new RefusedFileException(path, "is not a directory (" + actual + "); refusing to use it");
    }

    /** {@code path} holds {@code size} bytes, more than the {@code limit} it is read into memory with. */
    static RefusedFileException tooLarge(Path path, long size, int limit) {
        return new RefusedFileException(path, "is " + size + " bytes, over the " + limit / (1024 * 1024)
                + " MiB limit; refusing to read it");
    }

    Path path() {
        return path;
    }

    /** What is wrong, as the end of a sentence that starts with the path's name. */
    String problem() {
        return problem;
    }
}
