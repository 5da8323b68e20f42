package dev.regctl.store.archive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Tar archives made byte by byte, so that tests can build the hostile ones no tool writes. */
public final class TarBytes {

    private TarBytes() {
    }

    /** A member with one byte of content ({@code 1}) when it is a regular file, none otherwise. */
    public static byte[] member(String name, char type) {
        return concat(header(name, type == '0' ? 1 : 0, type, true), type == '0' ? Arrays.copyOf(new byte[] {1}, 512) : new byte[0]);
    }

    /** A regular file member holding {@code content}, padded to whole blocks. */
    public static byte[] file(String name, byte[] content) {
        return concat(header(name, content.length, '0', true), Arrays.copyOf(content, padded(content.length)));
    }

    /** A symbolic link member naming {@code target}, as tar writes one. */
    public static byte[] symlink(String name, String target) {
        byte[] h = header(name, 0, '2', true);
        put(h, 157, target);
        checksum(h);
        return h;
    }

    /** A header of any type declaring any size, with a valid checksum. */
    public static byte[] header(String name, long size, char type, boolean ustar) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        put(h, 124, String.format("%011o", size));
        put(h, 100, "0000644");
        h[156] = (byte) type;
        put(h, 257, ustar ? "ustar\u000000" : "ustar  ");
        checksum(h);
        return h;
    }

    /** The two zero blocks that end an archive. */
    public static byte[] end() {
        return new byte[1024];
    }

    /** Sets the header's checksum field for its current content. */
    public static void checksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
    }

    public static int padded(int size) {
        return (size + 511) / 512 * 512;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void put(byte[] h, int offset, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, b.length);
    }
}
