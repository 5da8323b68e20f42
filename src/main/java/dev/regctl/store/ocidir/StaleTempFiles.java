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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files that earlier regctl processes, killed or crashed, left behind: in a layout,
 * beside an archive being written, or in the temporary directory. Another process may be using
 * such a file right now, so a file is stale only when the process named in it no longer runs, or
 * when nothing has written to it for a day.
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
        removeFromDirectory(layout, AtomicFiles.TEMP_NAME, name -> true, now);
        Path blobs = layout.resolve("blobs");
        if (!isDirectory(blobs)) {
            return;
        }
        removeFromDirectory(blobs, AtomicFiles.TEMP_NAME, name -> true, now);
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs)) {
            for (Path algorithm : algorithms) {
                if (isDirectory(algorithm)) {
                    removeFromDirectory(algorithm, AtomicFiles.TEMP_NAME, name -> true, now);
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
        String prefix = "." + target.getFileName() + ".";
        removeFromDirectory(target.toAbsolutePath().getParent(), AtomicFiles.TEMP_NAME, name -> name.startsWith(prefix),
                Instant.now());
    }

    /**
     * Removes the stale files of {@code dir} whose whole name {@code names} matches, its first
     * group, when it matched, being the PID of the process that made the file. Best effort.
     */
    public static void removeFromDirectory(Path dir, Pattern names) {
        removeFromDirectory(dir, names, name -> true, Instant.now());
    }

    /** True when a file of this name, one of {@code names}, last modified then, belongs to no live process. */
    static boolean isStale(Pattern names, String fileName, Instant modified, Instant now) {
        Matcher m = names.matcher(fileName);
        if (!m.matches()) {
            return false;
        }
        if (modified.isBefore(now.minus(MAX_AGE))) {
            return true;
        }
        OptionalLong pid = m.groupCount() >= 1 && m.group(1) != null
                ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        if (pid.isEmpty() || pid.getAsLong() == ProcessHandle.current().pid()) {
            // This process's own files are live: another store on the same layout may be writing.
            return false;
        }
        return !ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void removeFromDirectory(Path dir, Pattern names, Predicate<String> also, Instant now) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> {
            String name = p.getFileName().toString();
            return also.test(name) && names.matcher(name).matches();
        })) {
            for (Path entry : entries) {
                removeIfStale(entry, names, now);
            }
        } catch (IOException e) {
            // Best effort.
        }
    }

    private static void removeIfStale(Path file, Pattern names, Instant now) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS);
            // Only files: a link or anything else by such a name is not one regctl made.
            if (attributes.isRegularFile()
                    && isStale(names, file.getFileName().toString(), attributes.lastModifiedTime().toInstant(), now)) {
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
