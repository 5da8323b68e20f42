package dev.regctl.store.archive;

import dev.regctl.store.BadArchiveException;
import dev.regctl.store.ExpansionLimits;
import dev.regctl.store.ocidir.LiveTempFiles;
import dev.regctl.store.ocidir.StaleTempFiles;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.XZInputStream;

/**
 * A gzip, zstd, xz or bzip2 compressed archive decompressed into a temporary file, since a
 * compressed tar cannot be read at an offset (skopeo does the same). The file is made owner-only where
 * {@link ExpansionLimits} says, grows no further than it allows, and is unlinked as soon as it is
 * open, so nothing is left however the process ends. Where a file system will not unlink an open
 * file, it is removed on close and on SIGINT or SIGTERM, and a later run removes it after a
 * SIGKILL: its name carries the PID of the process that made it.
 */
final class DecompressedCopy implements Closeable {

    /** The names of the copies, PID first; earlier versions put none in them. */
    static final Pattern NAME = Pattern.compile("regctl-archive-(?:([0-9]{1,18})-)?[0-9]+\\.tar");

    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int ZSTD_MAGIC = 0x28b52ffd;
    /** The first four of xz's six magic bytes, {@code FD 37 7A 58 5A 00}. */
    private static final int XZ_MAGIC = 0xfd377a58;
    /** {@code BZh}, then the block size, {@code 1} to {@code 9}. */
    private static final int BZIP2_MAGIC = 0x425a68;
    private static final int BUFFER = 1 << 16;
    /** The directories this process has swept of stale copies: once each is enough. */
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final Path leftover;

    private DecompressedCopy(FileChannel channel, Path leftover) {
        this.channel = channel;
        this.leftover = leftover;
    }

    /** True when a file starting with these four bytes is gzip, zstd, xz or bzip2 compressed. */
    static boolean isCompressed(int magic) {
        return (magic >>> 16) == GZIP_MAGIC || magic == ZSTD_MAGIC || magic == XZ_MAGIC || isBzip2(magic);
    }

    private static boolean isBzip2(int magic) {
        int level = magic & 0xff;
        return (magic >>> 8) == BZIP2_MAGIC && level >= '1' && level <= '9';
    }

    /**
     * Decompresses {@code compressed}, whose first four bytes are {@code magic}, from its start.
     *
     * @throws BadArchiveException when it does not decompress, or grows past a limit
     * @throws IOException         when the copy cannot be made or written
     */
    static DecompressedCopy of(FileChannel compressed, int magic, ExpansionLimits limits) throws IOException {
        Path dir = limits.directory();
        if (SWEPT.add(dir.toAbsolutePath())) {
            StaleTempFiles.removeFromDirectory(dir, NAME);
        }
        Path temp;
        try {
            temp = Files.createTempFile(dir, "regctl-archive-" + ProcessHandle.current().pid() + "-", ".tar");
        } catch (IOException e) {
            throw new IOException("cannot make a temporary file in " + dir + " to decompress it into: " + reason(e)
                    + "; set TMPDIR to a writable directory with room for it", e);
        }
        LiveTempFiles.track(temp);
        DecompressedCopy copy = null;
        try {
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
            copy = new DecompressedCopy(channel, unlinked(temp) ? null : temp);
            copy.fill(compressed, magic, limits);
            return copy;
        } catch (IOException | RuntimeException e) {
            if (copy != null) {
                copy.close();
            } else {
                discard(temp);
            }
            throw e;
        }
    }

    /** The decompressed tar, to be read at offsets. */
    FileChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (leftover != null) {
                discard(leftover);
            }
        }
    }

    private void fill(FileChannel compressed, int magic, ExpansionLimits limits) throws IOException {
        OutputStream out = Channels.newOutputStream(channel);
        byte[] buffer = new byte[BUFFER];
        long written = 0;
        try (InputStream plain = decompressing(
                new BufferedInputStream(Channels.newInputStream(compressed), BUFFER), magic, limits)) {
            for (int n; (n = read(plain, buffer)) >= 0; ) {
                written += n;
                // The compressed file's position: what was read of it, a buffer ahead at most.
                limits.check(written, compressed.position());
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new IOException("cannot write its decompressed copy in " + limits.directory() + ": "
                            + e.getMessage() + "; set TMPDIR to a directory with room for it", e);
                }
            }
        }
    }

    private static InputStream decompressing(InputStream compressed, int magic, ExpansionLimits limits)
            throws IOException {
        if (magic == ZSTD_MAGIC) {
            // Outside the try: a decoder that will not load says so, the archive is not to blame.
            return ZstdDecoder.open(compressed, limits.directory());
        }
        try {
            if ((magic >>> 16) == GZIP_MAGIC) {
                return new GZIPInputStream(compressed, BUFFER);
            }
            if (magic == XZ_MAGIC) {
                // xz -9 asks for a 64 MiB dictionary, and the format allows 4 GiB: beyond the limit it is
                // refused, not an OutOfMemoryError.
                return new XZInputStream(compressed, (int) Math.min(Integer.MAX_VALUE, limits.maxMemory() / 1024));
            }
            // pbzip2 and lbzip2 write many streams one after the other; bzip2 -d reads them all.
            return new BZip2CompressorInputStream(compressed, true);
        } catch (IOException | RuntimeException e) {
            throw cannotDecompress(e);
        }
    }


    private static int read(InputStream plain, byte[] buffer) throws BadArchiveException {
        try {
            return plain.read(buffer);
        } catch (IOException | RuntimeException e) {
            // The decompressors throw unchecked exceptions on some corrupt input.
            throw cannotDecompress(e);
        }
    }

    private static BadArchiveException cannotDecompress(Exception e) {
        if (e instanceof BadArchiveException bad) {
            return bad;
        }
        if (e instanceof MemoryLimitException limit) {
            return new BadArchiveException("cannot decompress it: it was compressed with xz settings that need "
                    + mebibytes(limit.getMemoryNeeded()) + " MiB of memory to read, over the " + mebibytes(limit.getMemoryLimit())
                    + " MiB regctl may use; give it more (REGCTL_JAVA_OPTS=-Xmx" + 3 * mebibytes(limit.getMemoryNeeded())
                    + "m) or recompress it at the default level (xz -dc FILE | xz -6 > NEW.tar.xz)");
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new BadArchiveException("cannot decompress it: " + why);
    }

    private static long mebibytes(long kibibytes) {
        return (kibibytes + 1023) / 1024;
    }

    /** Unlinks an open file, so that it goes with its last handle; false where that is not allowed. */
    private static boolean unlinked(Path temp) {
        try {
            Files.delete(temp);
            LiveTempFiles.untrack(temp);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void discard(Path temp) throws IOException {
        try {
            Files.deleteIfExists(temp);
        } finally {
            LiveTempFiles.untrack(temp);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }
}
