package dev.regctl.store.archive;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.store.LocalWriteException;
import dev.regctl.store.VerifyingInputStream;
import dev.regctl.store.ocidir.AtomicFiles;
import dev.regctl.store.ocidir.LiveTempFiles;
import dev.regctl.store.ocidir.StaleTempFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One archive being written: a tar file that grows member by member in a hidden temporary file
 * beside the target, renamed over it by {@link #commit} once everything is in. Copy moves blobs
 * on several threads, a tar is written in one sequence: writers take turns (in arrival order),
 * and nobody waits for anything else while holding the turn, so the copier cannot deadlock on
 * it. Until the first write nothing exists, so a dry run or a copy that fails while planning
 * leaves no file; a copy that fails or is interrupted later leaves none either (the temporary
 * file is removed on close, and by {@link LiveTempFiles} on SIGINT and SIGTERM).
 */
final class ArchiveWriter {

    private final String name;
    private final Path target;
    private final ReentrantLock turn = new ReentrantLock(true);
    private final Map<Digest, Long> written = new ConcurrentHashMap<>();
    private final Runnable onFirstWrite;
    private Path temp;
    private FileChannel channel;
    private TarWriter tar;
    private boolean committed;

    /** @param onFirstWrite writes what leads the archive (directories, {@code oci-layout}) */
    ArchiveWriter(String name, Path target, Runnable onFirstWrite) {
        this.name = name;
        this.target = target;
        this.onFirstWrite = onFirstWrite;
    }

    /** True when the blob has been written into the archive. */
    boolean has(Descriptor blob) {
        Long size = written.get(blob.digest());
        return size != null && size == blob.size();
    }

    /**
     * Streams a blob into member {@code member} unless it is in already, verifying it as it
     * goes; a blob that does not match is cut back out of the archive. {@code content} is
     * opened only once it is this blob's turn, so no source waits with an open stream.
     *
     * @return false when the archive had the blob
     */
    boolean put(String member, Descriptor blob, Supplier<InputStream> content) {
        turn.lock();
        try {
            if (has(blob)) {
                return false;
            }
            try {
                open().file(member, blob.size(), VerifyingInputStream.of(content.get(), blob));
            } catch (IOException e) {
                throw LocalWriteException.of(name + ": writing blob " + blob.digest(), e);
            }
            written.put(blob.digest(), blob.size());
            return true;
        } finally {
            turn.unlock();
        }
    }

    /** Adds a small member whole (an index, a manifest, {@code oci-layout}). */
    void putBytes(String member, byte[] bytes) {
        turn.lock();
        try {
            open().file(member, bytes);
        } catch (IOException e) {
            throw LocalWriteException.of(name + ": writing " + member, e);
        } finally {
            turn.unlock();
        }
    }

    /** Adds a directory member. */
    void putDirectory(String member) {
        turn.lock();
        try {
            open().directory(member);
        } catch (IOException e) {
            throw LocalWriteException.of(name + ": writing " + member, e);
        } finally {
            turn.unlock();
        }
    }

    /**
     * Adds the members that must come last ({@code index.json}, {@code manifest.json}), ends the
     * tar, and puts the file in place of the target, after its content is on disk.
     */
    void commit(String member, byte[] bytes) {
        turn.lock();
        try {
            if (committed) {
                throw new RegctlException(Kind.USAGE, name + ": an archive is written by one copy; it is written already");
            }
            open().file(member, bytes);
            tar.finish();
            channel.close();
            AtomicFiles.replace(temp, target);
            committed = true;
        } catch (IOException e) {
            throw LocalWriteException.of(name, e);
        } finally {
            turn.unlock();
        }
    }

    /** Removes the temporary file unless the archive was committed. */
    void close() {
        turn.lock();
        try {
            if (temp != null && !committed) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Removed below all the same.
                }
                AtomicFiles.deleteQuietly(temp, new IOException("discarded"));
            }
        } finally {
            turn.unlock();
        }
    }

    private TarWriter open() throws IOException {
        if (committed) {
            throw new RegctlException(Kind.USAGE, name + ": an archive is written by one copy; it is written already");
        }
        if (tar != null) {
            return tar;
        }
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory");
        }
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a directory");
        }
        StaleTempFiles.removeSiblingsOf(target);
        temp = AtomicFiles.tempSibling(target);
        LiveTempFiles.track(temp);
        try {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            LiveTempFiles.untrack(temp);
            temp = null;
            throw e;
        }
        tar = new TarWriter(channel);
        onFirstWrite.run();
        return tar;
    }
}
