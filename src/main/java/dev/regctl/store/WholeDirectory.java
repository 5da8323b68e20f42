package dev.regctl.store;

import dev.regctl.store.ocidir.AtomicFiles;
import dev.regctl.store.ocidir.LiveTempFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A local directory made whole or not at all, as {@link WholeFile} makes files: filled in a hidden
 * directory beside the target and renamed into place once complete. Whatever stops the filling (a
 * failure, an error, or the run being stopped with Ctrl-C or SIGTERM, whose shutdown hook removes
 * it) leaves nothing beside the target, and the target as it was.
 */
public final class WholeDirectory {

    /** Fills the empty directory it is given; may refuse what it reads with an {@code E}. */
    @FunctionalInterface
    public interface Filler<E extends Exception> {
        void fill(Path staging) throws IOException, E;
    }

    private WholeDirectory() {
    }

    /**
     * Fills a new directory through {@code filler} and puts it at {@code target}; what was there is
     * replaced only once the new one is complete.
     */
    public static <E extends Exception> void write(Path target, Filler<E> filler) throws IOException, E {
        Path staging = AtomicFiles.tempSibling(target.toAbsolutePath());
        // Tracked before it exists, so an interrupt at any point finds it.
        LiveTempFiles.track(staging);
        try {
            Files.createDirectory(staging);
            filler.fill(staging);
            place(staging, target);
        } catch (Throwable failure) {
            deleteQuietly(staging, failure);
            throw failure;
        } finally {
            LiveTempFiles.untrack(staging);
        }
    }

    /** Renames {@code staging} to {@code target}; a directory there is moved aside first, and put back if that fails. */
    private static void place(Path staging, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path old = AtomicFiles.tempSibling(target.toAbsolutePath());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        // What it replaced is garbage now: removed also if the run is stopped while it is.
        LiveTempFiles.track(old);
        try {
            FileTrees.delete(old);
        } finally {
            LiveTempFiles.untrack(old);
        }
    }

    private static void deleteQuietly(Path tree, Throwable failure) {
        try {
            FileTrees.delete(tree);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
