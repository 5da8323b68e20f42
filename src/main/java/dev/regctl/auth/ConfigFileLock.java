package dev.regctl.auth;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises read-modify-write cycles of one credential file across processes and threads, so
 * parallel logins cannot overwrite each other's entries. The lock is {@code <file>.lock} beside
 * the file, held with {@link FileChannel#lock()}; a symbolic link there is refused, never
 * followed, so a planted link cannot make regctl create or open a file elsewhere.
 */
final class ConfigFileLock {
    /**
     * An OS file lock belongs to the whole JVM (a second lock from another thread fails with
     * OverlappingFileLockException instead of waiting), so threads queue here first.
     */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private static final Set<OpenOption> CREATE_WRITE_NO_FOLLOW =
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

    private final Path lockFile;

    /** A lock for {@code file} (the real file, not a link to it); nothing is created until {@link #around} runs. */
    ConfigFileLock(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        this.lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
    }

    /** The lock file, {@code <file>.lock}. */
    Path path() {
        return lockFile;
    }

    /**
     * Runs {@code work} while holding the lock, creating the directory (0700) and the lock file
     * (0600) when missing. The lock file is left in place: deleting it would let a waiting writer
     * lock a file that a newcomer no longer sees.
     */
    <T> T around(Supplier<T> work) {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = open(); FileLock ignored = channel.lock()) {
            return work.get();
        } catch (IOException e) {
            if (Files.isSymbolicLink(lockFile)) {
                throw new RegctlException(RegctlException.Kind.FAILURE,
                        "cannot lock " + lockFile + ": it is a symbolic link, which regctl does not follow",
                        "remove " + lockFile + "; regctl creates it as a plain file", null);
            }
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot lock " + lockFile + ": " + e.getMessage());
        } finally {
            local.unlock();
        }
    }

    private FileChannel open() throws IOException {
        Files.createDirectories(lockFile.getParent(), ownerOnly("rwx------"));
        return FileChannel.open(lockFile, CREATE_WRITE_NO_FOLLOW, ownerOnly("rw-------"));
    }

    static FileAttribute<?>[] ownerOnly(String permissions) {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
        }
        return new FileAttribute<?>[0];
    }
}
