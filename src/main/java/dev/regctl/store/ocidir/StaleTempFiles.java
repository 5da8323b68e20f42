package dev.regctl.store.ocidir;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Temporary files that earlier regctl processes, killed or crashed, left in a layout. Another
 * process may be writing the same layout right now, so a file is stale only when the process
 * named in it no longer runs, or when nothing has written to it for a day.
 */
public final class StaleTempFiles {

    /**
     * Untouched this long, a temporary file is stale whatever process its name gives: a PID may
     * have been reused, and older versions put none in the name. A live writer touches its file
     * with every buffer, so no copy still running comes near this.
     */
    static final Duration MAX_AGE = Duration.ofHours(24);

    private StaleTempFiles() {
    }

    /**
     * Removes the stale temporary files from a layout's directory, its {@code blobs} directory
     * and each {@code blobs/<alg>} directory. Best effort: a file that cannot be removed is left
     * for the next write, and nothing here fails the write that triggered it.
     */
    static void removeFrom(Path layout) {
        Instant now = Instant.now();
        // The layout's own directory is the one the user named, a link or not; those below are
        // the layout's, and a link there leads out of it.
        removeFromDirectory(layout, now);
        Path blobs = layout.resolve("blobs");
        if (!isDirectory(blobs)) {
            return;
        }
        removeFromDirectory(blobs, now);
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs)) {
            for (Path algorithm : algorithms) {
                if (isDirectory(algorithm)) {
                    removeFromDirectory(algorithm, now);
                }
            }
        } catch (IOException e) {
            // Best effort, as above.
        }
    }

    /**
     * Removes the stale temporary files {@link AtomicFiles#tempSibling} made for {@code target}
     * (an archive written whole), leaving every other file in its directory alone. Best effort.
     */
    public static void removeSiblingsOf(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        String prefix = "." + target.getFileName() + ".";
        Instant now = Instant.now();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix)
                && AtomicFiles.isTempName(p.getFileName().toString()))) {
            for (Path entry : entries) {
                removeIfStale(entry, now);
            }
        } catch (IOException e) {
            // Best effort.
        }
    }

    /** True when a temporary file of this name, last modified then, belongs to no live writer. */
    static boolean isStale(String fileName, Instant modified, Instant now) {
        if (!AtomicFiles.isTempName(fileName)) {
            return false;
        }
        if (modified.isBefore(now.minus(MAX_AGE))) {
            return true;
        }
        OptionalLong pid = AtomicFiles.writerPid(fileName);
        if (pid.isEmpty() || pid.getAsLong() == ProcessHandle.current().pid()) {
            // This process's own files are live: another store on the same layout may be writing.
            return false;
        }
        return !ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void removeFromDirectory(Path dir, Instant now) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> AtomicFiles.isTempName(p.getFileName().toString()))) {
            for (Path entry : entries) {
                removeIfStale(entry, now);
            }
        } catch (IOException e) {
            // Best effort.
        }
    }

    private static void removeIfStale(Path file, Instant now) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS);
            // Only files: a link or anything else by such a name is not one regctl made.
            if (attributes.isRegularFile()
                    && isStale(file.getFileName().toString(), attributes.lastModifiedTime().toInstant(), now)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Best effort.
        }
    }

    private static boolean isDirectory(Path dir) {
        return Files.isDirectory(dir, NOFOLLOW_LINKS);
    }
}
