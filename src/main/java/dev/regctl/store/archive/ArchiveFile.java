package dev.regctl.store.archive;

import dev.regctl.store.BadArchiveException;
import dev.regctl.store.ExpansionLimits;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A tar archive opened for reading: its members indexed once, their content read with
 * positioned reads, so several blobs can stream at once and nothing is extracted. A compressed
 * archive (gzip, zstd, xz, bzip2) cannot be read at an offset, so it is read from a
 * {@link DecompressedCopy}, as skopeo does.
 */
final class ArchiveFile implements Closeable {

    private final FileChannel channel;
    private final TarIndex index;
    private final Closeable owned;

    /** @param owned what closing the archive closes: the file, or its decompressed copy */
    private ArchiveFile(FileChannel channel, TarIndex index, Closeable owned) {
        this.channel = channel;
        this.index = index;
        this.owned = owned;
    }

    /**
     * Opens and indexes the archive at {@code path}, decompressing it within {@code limits}.
     *
     * @throws NoSuchFileException when there is no such file
     * @throws BadArchiveException when it is not a tar archive, or is truncated or hostile
     */
    static ArchiveFile open(Path path, ExpansionLimits limits) throws IOException {
        if (!Files.isRegularFile(path)) {
            if (Files.exists(path)) {
                throw new BadArchiveException("not a regular file");
            }
            throw new NoSuchFileException(path.toString());
        }
        FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
        Closeable owned = file;
        try {
            FileChannel tar = file;
            int magic = magic(file);
            if (DecompressedCopy.isCompressed(magic)) {
                DecompressedCopy copy = DecompressedCopy.of(file, magic, limits);
                file.close();
                owned = copy;
                tar = copy.channel();
            }
            return new ArchiveFile(tar, TarIndex.read(tar), owned);
        } catch (IOException | RuntimeException e) {
            file.close();
            owned.close();
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

    /**
     * The regular file {@code name} is, or that it leads to through relative symbolic links, as
     * classic {@code docker save} (engines before 25) shares one layer between images
     * ({@code <id>/layer.tar -> ../<other>/layer.tar}). See {@link MemberLinks} for which links
     * are followed.
     *
     * @throws BadArchiveException when it is missing, a link that leads nowhere allowed, or not a regular file
     */
    TarEntry fileThroughLinks(String name, String what) throws BadArchiveException {
        TarEntry entry = index.find(TarIndex.normalise(name)).orElseThrow(() ->
                new BadArchiveException(what + " \"" + name + "\" is missing from the archive"));
        TarEntry target = MemberLinks.follow(index, entry, what);
        if (target.type() != TarEntry.Type.FILE) {
            throw new BadArchiveException(what + " \"" + name + "\" is " + target.type().words()
                    + (target == entry ? "" : " (through a link)") + ", not a regular file");
        }
        return target;
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
        owned.close();
    }

    private static int magic(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4);
        while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
            // Fill what the file has.
        }
        return b.position() < 4 ? 0 : b.getInt(0);
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
