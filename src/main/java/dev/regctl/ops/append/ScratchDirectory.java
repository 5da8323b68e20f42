package dev.regctl.ops.append;

import dev.regctl.RegctlException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * append's working directory (the base's layout, Jib's tarballs and caches), private to the user
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

    /** Deletes the tree without following links (walkFileTree's default). */
    private synchronized void delete() {
        if (!Files.exists(path)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Left in the temporary directory, where the system's cleaning finds it; not worth failing the run.
        }
    }
}
