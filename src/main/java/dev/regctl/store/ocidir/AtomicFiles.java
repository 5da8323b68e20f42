package dev.regctl.store.ocidir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes that readers see either entirely or not at all: content goes to a hidden temporary file
 * beside the target, then is renamed over it. Temporary files are named
 * {@code .<target>.<pid>-<random hex>.tmp}, so that a later write can tell which ones a process
 * that no longer runs left behind.
 */
public final class AtomicFiles {

    /**
     * The names {@link #tempSibling} makes, the PID as the first group; it is absent from those of
     * earlier versions, which named them {@code .<target>.<random hex>.tmp}.
     */
    static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.(?:([0-9]{1,18})-)?[0-9a-f]{1,16}\\.tmp");

    private static final long PID = ProcessHandle.current().pid();

    private AtomicFiles() {
    }

    /**
     * A fresh name for a temporary file in the target's directory. The same directory keeps the
     * rename on one file system, which is what makes it atomic.
     */
    public static Path tempSibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + PID + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /**
     * Opens a new temporary file for writing. Not {@link Files#createTempFile}: that makes the
     * file readable by its owner only, and the layout's files should get the usual umask so
     * other users' tools can read the layout.
     */
    public static OutputStream create(Path temp) throws IOException {
        // Tracked before it exists, so an interrupt at any point finds it.
        LiveTempFiles.track(temp);
        try {
            return Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            LiveTempFiles.untrack(temp);
            throw e;
        }
    }

    /**
     * Renames {@code temp} over {@code target} in one step (replacing it, as POSIX rename does),
     * after its content is on disk: a crash must never leave a file under its final name whose
     * content the file system had not yet written. A blob of the right size is taken as present
     * by a rerun, so such a file would stay wrong. (If the rename itself is lost, the file is
     * simply missing and a rerun writes it.)
     */
    public static void replace(Path temp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        LiveTempFiles.untrack(temp);
    }

    /** What goes into a file written atomically. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code content} to {@code target} atomically: on any failure the target is as it was. */
    public static void write(Path target, Content content) throws IOException {
        Path temp = tempSibling(target);
        try {
            try (var out = create(temp)) {
                content.writeTo(out);
            }
            replace(temp, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp, e);
            throw e;
        }
    }

    /** Removes a temporary file after a failure, keeping the failure as the one reported. */
    public static void deleteQuietly(Path temp, Exception failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        } finally {
            LiveTempFiles.untrack(temp);
        }
    }
}
