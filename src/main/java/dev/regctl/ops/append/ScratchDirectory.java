package dev.regctl.ops.append;

import dev.regctl.RegctlException;

import dev.regctl.store.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * append's working directory (the snapshot of the files to add, a layout of the base's manifests
 * and the new blobs, Jib's tarball and caches of the new layers), private to the user
 * and removed when the run ends, by {@link #close} or, when the run is stopped, a shutdown hook.
 */
final class ScratchDirectory implements AutoCloseable {
    private final Path path;
    private final Thread hook;
    private int next;

    private ScratchDirectory(Path path) {
        this.path = path;
        this.hook = new Thread(this::delete, "regctl-append-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static ScratchDirectory create() {
        try {
            Path dir;
            try {
                dir = Files.createTempDirectory("regctl-append-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                dir = Files.createTempDirectory("regctl-append-");
            }
            return new ScratchDirectory(dir);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot make a temporary directory: "
                    + e.getMessage(), "set java.io.tmpdir through REGCTL_JAVA_OPTS to a writable directory", e);
        }
    }

    Path path() {
        return path;
    }

    /** A new empty directory inside, one per image built. */
    Path newDirectory() {
        try {
            return Files.createDirectory(path.resolve("build-" + next++));
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot make a directory in " + path
                    + ": " + e.getMessage(), null, e);
        }
    }

    @Override
    public void close() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs (or ran) the same delete.
        }
    }

    /** Deletes the tree without following links. */
    private synchronized void delete() {
        try {
            FileTrees.delete(path);
        } catch (IOException e) {
            // Left in the temporary directory, where the system's cleaning finds it; not worth failing the run.
        }
    }
}
