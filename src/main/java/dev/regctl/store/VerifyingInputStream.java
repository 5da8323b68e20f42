package dev.regctl.store;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Content checked against what its descriptor promised while it is read, so that nobody acts on
 * bytes that are not the ones asked for. Reading fails as soon as more bytes arrive than expected,
 * and with an {@link IOException} naming the expected and actual digest once all the content has
 * been read (the expected size reached, or end of stream) if the size or digest differ; at most
 * one byte past the expected size is ever taken from the source. Those
 * failures are {@link ContentMismatchException}s, so a caller can tell them from a broken connection.
 */
public final class VerifyingInputStream extends FilterInputStream {

    private final Digest expected;
    private final long expectedSize;
    private final MessageDigest hasher;
    private long count;
    private boolean verified;
    private IOException failure;

    /**
     * @param expectedSize the size in bytes, or a negative number when unknown (only the digest
     *                     is then checked)
     */
    public VerifyingInputStream(InputStream in, Digest expected, long expectedSize) {
        super(Objects.requireNonNull(in, "in"));
        this.expected = Objects.requireNonNull(expected, "expected");
        this.expectedSize = expectedSize;
        this.hasher = expected.newHasher();
    }

    /** Verifies {@code in} against the digest and size of {@code descriptor}. */
    public static VerifyingInputStream of(InputStream in, Descriptor descriptor) {
        return new VerifyingInputStream(in, descriptor.digest(), descriptor.size());
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        if (expectedSize >= 0) {
            // One byte past the size is all it takes to know there is too much: never pull more
            // from a source that may be endless.
            len = (int) Math.min(len, expectedSize - count + 1);
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            verify();
            return -1;
        }
        count += n;
        if (expectedSize >= 0 && count > expectedSize) {
            // Stop here rather than hash on: a source that sends too much may never stop.
            throw fail("size mismatch: expected " + expectedSize + " bytes, got more");
        }
        hasher.update(b, off, n);
        if (count == expectedSize) {
            // Verify now, not at EOF, so a reader that stops after exactly the promised bytes
            // (as length-delimited consumers do) still gets the check.
            verify();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed, so read them.
        byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported while verifying " + expected);
    }

    private void verify() throws IOException {
        if (verified) {
            return;
        }
        verified = true;
        String actualHex = HexFormat.of().formatHex(hasher.digest());
        boolean digestOk = actualHex.equals(expected.hex());
        boolean sizeOk = expectedSize < 0 || count == expectedSize;
        if (digestOk && sizeOk) {
            return;
        }
        if (digestOk) {
            throw fail("size mismatch: expected " + expectedSize + " bytes, got " + count
                    + " bytes with the expected digest " + expected);
        }
        String actual = expected.algorithm() + ":" + actualHex;
        throw fail("digest mismatch: expected " + expected + ", got " + actual + " (" + count + " bytes"
                + (sizeOk ? "" : ", expected " + expectedSize) + ")");
    }

    private IOException fail(String message) {
        // Remembered so that a caller who retries the read cannot get past the failure.
        failure = new ContentMismatchException(message);
        return failure;
    }
}
