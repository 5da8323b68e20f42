package dev.regctl.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The safety net behind every {@code close()}: child processes and temp directories still
 * registered when the JVM exits (a test run killed, a class whose setup threw before its fields
 * were assigned) are stopped and deleted by one shutdown hook, so no registry outlives the build.
 */
final class Cleanup {

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::runAtExit, "regctl-it-cleanup"));
    }

    private Cleanup() {
    }

    /** Starts tracking a child process until {@link #stop} is called for it. */
    static Process track(Process process) {
        PROCESSES.add(process);
        return process;
    }

    /** Creates a temp directory that is deleted at JVM exit unless {@link #delete} got it first. */
    static Path tempDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            DIRECTORIES.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory", e);
        }
    }

    /**
     * Asks the process to stop (SIGTERM), then kills it if it has not exited within a grace period,
     * and waits for it either way so its port and files are released when this returns.
     */
    static void stop(Process process) {
        try {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            PROCESSES.remove(process);
        }
    }

    /** Deletes a directory tree; a tree that is already gone is fine. */
    static void delete(Path dir) {
        try {
            deleteTree(dir);
        } finally {
            DIRECTORIES.remove(dir);
        }
    }

    private static void runAtExit() {
        PROCESSES.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        DIRECTORIES.forEach(dir -> {
            try {
                deleteTree(dir);
            } catch (RuntimeException ignored) {
                // Best effort at exit: a leftover temp dir must not hide the test's own failure.
            }
        });
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
