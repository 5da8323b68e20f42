package dev.regctl.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** Reproducible layer bytes for fixtures: a one-file tar, its gzip, and their digests. */
final class Content {

    private static final long FIXED_MTIME = 1_600_000_000L;

    private Content() {
    }

    /** A POSIX ustar archive with one regular file, every header field fixed so bytes are reproducible. */
    static byte[] tarWithOneFile(String name, byte[] content) {
        byte[] header = new byte[512];
        putAscii(header, 0, name);
        putAscii(header, 100, "0000644\0");
        putAscii(header, 108, "0000000\0");
        putAscii(header, 116, "0000000\0");
        putAscii(header, 124, String.format("%011o\0", content.length));
        putAscii(header, 136, String.format("%011o\0", FIXED_MTIME));
        putAscii(header, 148, "        "); // the checksum is computed with its own field as spaces
        header[156] = '0';
        putAscii(header, 257, "ustar\0");
        putAscii(header, 263, "00");
        putAscii(header, 265, "root");
        putAscii(header, 297, "root");
        int checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        putAscii(header, 148, String.format("%06o\0 ", checksum));
        int padding = (512 - content.length % 512) % 512;
        ByteArrayOutputStream tar = new ByteArrayOutputStream(512 + content.length + padding + 1024);
        tar.writeBytes(header);
        tar.writeBytes(content);
        tar.writeBytes(new byte[padding]);
        tar.writeBytes(new byte[1024]); // two zero blocks end the archive
        return tar.toByteArray();
    }

    /** Gzip with the JDK's fixed header (no name, mtime 0), so equal input gives equal bytes. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code sha256:<hex>} of the bytes. */
    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    private static void putAscii(byte[] target, int offset, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }
}
