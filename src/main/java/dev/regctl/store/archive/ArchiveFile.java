package dev.regctl.store.archive;

import dev.regctl.store.ocidir.LiveTempFiles;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * A tar archive opened for reading: its members indexed once, their content read with
 * positioned reads, so several blobs can stream at once and nothing is extracted. A gzip or
 * zstd compressed archive cannot be read at an offset, so it is decompressed once into a
 * temporary file (owner-only, removed on close and when the process is interrupted), as skopeo
 * does.
 */
final class ArchiveFile implements Closeable {

    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int ZSTD_MAGIC = 0x28b52ffd;

    private final FileChannel channel;
    private final TarIndex index;
    private final Path decompressed;

    private ArchiveFile(FileChannel channel, TarIndex index, Path decompressed) {
        this.channel = channel;
        this.index = index;
        this.decompressed = decompressed;
    }

    /**
     * Opens and indexes the archive at {@code path}.
     *
     * @throws NoSuchFileException when there is no such file
     * @throws BadArchiveException when it is not a tar archive, or is truncated or hostile
     */
    static ArchiveFile open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            if (Files.exists(path)) {
                throw new BadArchiveException("not a regular file");
            }
            throw new NoSuchFileException(path.toString());
        }
        Path temp = null;
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            int magic = magic(channel);
            if ((magic >>> 16) == GZIP_MAGIC || magic == ZSTD_MAGIC) {
                temp = Files.createTempFile("regctl-archive-", ".tar");
                LiveTempFiles.track(temp);
                try (InputStream compressed = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
                     InputStream plain = (magic >>> 16) == GZIP_MAGIC
                             ? new GZIPInputStream(compressed, 1 << 16) : new ZstdInputStream(compressed);
                     OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                    plain.transferTo(out);
                } catch (IOException e) {
                    throw new BadArchiveException("cannot decompress it: " + (e.getMessage() == null
                            ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("")));
                }
                channel = FileChannel.open(temp, StandardOpenOption.READ);
            }
            return new ArchiveFile(channel, TarIndex.read(channel), temp);
        } catch (IOException | RuntimeException e) {
            channel.close();
            discard(temp);
            throw e;
        }
    }

    TarIndex index() {
        return index;
    }

    /**
     * The regular file {@code name} in the archive.
     *
     * @param what what the caller wanted it as, for the message when it is missing or refused
     * @throws BadArchiveException when it is missing, or is a link or anything but a regular file
     */
    TarEntry file(String name, String what) throws BadArchiveException {
        TarEntry entry = index.find(TarIndex.normalise(name)).orElseThrow(() ->
                new BadArchiveException(what + " \"" + name + "\" is missing from the archive"));
        if (entry.type() != TarEntry.Type.FILE) {
            throw new BadArchiveException(what + " \"" + name + "\" is " + entry.type().words()
                    + ", not a regular file; links are not followed");
        }
        return entry;
    }

    /** The content of a member, read at its offset; streams over different members may run at once. */
    InputStream open(TarEntry entry) {
        return new MemberStream(entry.offset(), entry.offset() + entry.size());
    }

    /** The first {@code length} bytes of a member (fewer when it is shorter). */
    byte[] head(TarEntry entry, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(length, entry.size()));
        TarIndex.readFully(channel, b, entry.offset());
        return b.array();
    }

    /** A whole member no bigger than {@code limit}, refused unread when bigger. */
    byte[] readAll(TarEntry entry, int limit, String what) throws IOException {
        if (entry.size() > limit) {
            throw new BadArchiveException(what + " \"" + entry.name() + "\" is " + entry.size() + " bytes, over the "
                    + limit / (1024 * 1024) + " MiB limit; refusing to read it");
        }
        return head(entry, (int) entry.size());
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            discard(decompressed);
        }
    }

    private static int magic(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4);
        while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
            // Fill what the file has.
        }
        return b.position() < 4 ? 0 : b.getInt(0);
    }

    private static void discard(Path temp) throws IOException {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } finally {
                LiveTempFiles.untrack(temp);
            }
        }
    }

    /** A member's bytes, by positioned reads that leave the channel's position alone. */
    private final class MemberStream extends InputStream {
        private long position;
        private final long end;

        MemberStream(long start, long end) {
            this.position = start;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                throw new BadArchiveException("truncated: the file ends at byte " + position);
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += skipped;
            return skipped;
        }
    }
}
