package dev.regctl.testing;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.store.ImageStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The parts every test builds its images from, made one way: blobs stored into any
 * {@link ImageStore}, descriptors as JSON, and reproducible bytes for layers that are real
 * gzip-compressed tars, so diff ids and digests are honest and skopeo reads them.
 */
public final class ImageParts {

    private static final long FIXED_MTIME = 1_600_000_000L;

    private ImageParts() {
    }

    /** Content and its descriptor together. */
    public record Blob(byte[] bytes, Descriptor descriptor) {
        public static Blob of(String mediaType, byte[] bytes) {
            return new Blob(bytes, new Descriptor(mediaType, Digest.sha256(bytes), bytes.length));
        }

        public Digest digest() {
            return descriptor.digest();
        }

        /** Stores the blob in {@code store}; a store that has it already reads nothing. */
        public Descriptor putInto(ImageStore store) {
            store.putBlob(descriptor, new ByteArrayInputStream(bytes));
            return descriptor;
        }
    }

    /** Stores {@code bytes} in {@code store} as a blob of {@code mediaType}. */
    public static Descriptor blob(ImageStore store, String mediaType, byte[] bytes) {
        return Blob.of(mediaType, bytes).putInto(store);
    }

    /** Stores {@code text}, UTF-8 encoded, in {@code store} as a blob of {@code mediaType}. */
    public static Descriptor blob(ImageStore store, String mediaType, String text) {
        return blob(store, mediaType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"mediaType", "digest", "size"}}, as a manifest names its config and layers. */
    public static String json(Descriptor d) {
        return json(d, null);
    }

    /** As {@link #json(Descriptor)}, with a {@code linux/architecture} platform as an index names its images; none when null. */
    public static String json(Descriptor d, String architecture) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
                + (architecture == null ? "" : ",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}")
                + "}";
    }

    /** Deterministic pseudo-random bytes. */
    public static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A gzip-compressed tar holding one file, as an OCI layer blob. */
    public static Blob layer(String fileName, byte[] fileContent) {
        return Blob.of(MediaTypes.OCI_LAYER_GZIP, gzip(tar(fileName, fileContent)));
    }

    /** A POSIX ustar archive with one regular file, every header field fixed so bytes are reproducible. */
    public static byte[] tar(String name, byte[] content) {
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
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void putAscii(byte[] target, int offset, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }
}
