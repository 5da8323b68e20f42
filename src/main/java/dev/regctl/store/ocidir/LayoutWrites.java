package dev.regctl.store.ocidir;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gate every write to a layout passes: a layout read from an archive refuses it, and the
 * first write to a directory clears what killed or crashed writers left (interrupted ones clean
 * up after themselves), so reruns do not pile up partial files.
 */
final class LayoutWrites {

    private final String name;
    private final Path dir;
    private final AtomicBoolean staleTempFilesRemoved = new AtomicBoolean();

    /** @param dir the layout's directory; null when it has none and cannot be written */
    LayoutWrites(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    /** @throws RegctlException UNSUPPORTED when the layout cannot be changed in place */
    void begin() {
        if (dir == null) {
            throw new RegctlException(Kind.UNSUPPORTED, name + ": cannot be changed in place; copy the images to a new one");
        }
        if (staleTempFilesRemoved.compareAndSet(false, true)) {
            StaleTempFiles.removeFrom(dir);
        }
    }
}
