package dev.regctl.store;

import dev.regctl.store.ocidir.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A local file written whole or not at all, as the stores write theirs: a reader, or a run that
 * fails half way, sees the old file or the complete new one, never a part.
 */
public final class WholeFile {

    /** What goes into the file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private WholeFile() {
    }

    /** Writes {@code content} to {@code file}, replacing what is there only once all of it is written. */
    public static void write(Path file, Content content) throws IOException {
        AtomicFiles.write(file.toAbsolutePath(), content::writeTo);
    }

    /**
     * A name beside {@code target} for what will replace it (a file or a whole directory): hidden,
     * unique to this run, and recognised by the clean-up of stopped runs.
     */
    public static Path tempSibling(Path target) {
        return AtomicFiles.tempSibling(target);
    }
}
