package dev.regctl.store.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writes a tar file member by member, each streamed straight from its source: the size is
 * known up front, so the header goes first and no member is held in memory or spooled. Headers
 * are POSIX ustar, with a PAX header for a name over 100 bytes or a size over 8 GiB; owners,
 * modes and times are fixed, so the same image always gives the same bytes. Not thread-safe:
 * the caller serialises writes.
 */
final class TarWriter {

    private static final int BUFFER = 256 * 1024;
    private static final long MAX_OCTAL_SIZE = 077777777777L;

    private final FileChannel file;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);

    TarWriter(FileChannel file) {
        this.file = file;
    }

    /** Adds a directory member. */
    void directory(String name) throws IOException {
        header(name.endsWith("/") ? name : name + "/", 0, '5');
    }

    /** Adds a member holding {@code bytes}. */
    void file(String name, byte[] bytes) throws IOException {
        header(name, bytes.length, '0');
        writeFully(ByteBuffer.wrap(bytes));
        pad(bytes.length);
    }

    /**
     * Adds a member of exactly {@code size} bytes read from {@code content}. If the content fails
     * or ends early the archive is cut back to where the member began, so the caller may try again.
     */
    void file(String name, long size, InputStream content) throws IOException {
        long start = file.position();
        try {
            header(name, size, '0');
            long left = size;
            byte[] chunk = buffer.array();
            while (left > 0) {
                int n = content.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) {
                    throw new IOException("content of " + name + " ended " + left + " bytes short of " + size);
                }
                writeFully(ByteBuffer.wrap(chunk, 0, n));
                left -= n;
            }
            // Reading on to the end lets a verifying stream check the digest before the member counts.
            if (content.read() >= 0) {
                throw new IOException("content of " + name + " is longer than " + size + " bytes");
            }
            pad(size);
        } catch (IOException | RuntimeException e) {
            file.truncate(start);
            file.position(start);
            throw e;
        }
    }

    /** Ends the archive with its two zero blocks. */
    void finish() throws IOException {
        writeFully(ByteBuffer.allocate(2 * TarIndex.BLOCK));
    }

    private void header(String name, long size, char type) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean longName = nameBytes.length > 100;
        boolean bigSize = size > MAX_OCTAL_SIZE;
        if (longName || bigSize) {
            StringBuilder pax = new StringBuilder();
            if (longName) {
                pax.append(paxRecord("path", name));
            }
            if (bigSize) {
                pax.append(paxRecord("size", Long.toString(size)));
            }
            byte[] records = pax.toString().getBytes(StandardCharsets.UTF_8);
            writeFully(ByteBuffer.wrap(block("PaxHeader", records.length, 'x')));
            writeFully(ByteBuffer.wrap(records));
            pad(records.length);
        }
        String shortName = longName ? new String(nameBytes, 0, 100, StandardCharsets.UTF_8).replace('\uFFFD', '_') : name;
        writeFully(ByteBuffer.wrap(block(shortName, bigSize ? 0 : size, type)));
    }

    private static byte[] block(String name, long size, char type) {
        byte[] h = new byte[TarIndex.BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nameBytes, 0, h, 0, Math.min(nameBytes.length, 100));
        octal(h, 100, 8, type == '5' ? 0755 : 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        byte[] magic = "ustar\00000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        return h;
    }

    /** {@code value} as zero-padded octal in {@code length - 1} digits and a NUL. */
    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, b.length);
        h[offset + length - 1] = 0;
    }

    /** A PAX record, whose leading length counts itself. */
    private static String paxRecord(String key, String value) {
        int body = key.length() + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int length = body + Integer.toString(body).length();
        if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length++;
        }
        return length + " " + key + "=" + value + "\n";
    }

    private void pad(long size) throws IOException {
        int padding = (int) (TarIndex.padded(size) - size);
        if (padding > 0) {
            writeFully(ByteBuffer.allocate(padding));
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            file.write(b);
        }
    }
}
