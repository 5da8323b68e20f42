package dev.regctl.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {

    private static final byte[] CONTENT = "hello, layer".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.sha256(CONTENT);

    @Test
    void passesMatchingContentThrough() throws IOException {
        byte[] big = new byte[2 * 1024 * 1024 + 7];
        new Random(1).nextBytes(big);
        try (var in = new VerifyingInputStream(new ByteArrayInputStream(big), Digest.sha256(big), big.length)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(big.length, in.transferTo(out));
            assertArrayEquals(big, out.toByteArray());
            assertEquals(-1, in.read());
            assertEquals(big.length, in.count());
        }
    }

    @Test
    void acceptsUnknownSize() throws IOException {
        try (var in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), DIGEST, -1)) {
            assertArrayEquals(CONTENT, in.readAllBytes());
        }
    }

    @Test
    void acceptsEmptyContent() throws IOException {
        byte[] empty = new byte[0];
        try (var in = VerifyingInputStream.of(new ByteArrayInputStream(empty),
                new Descriptor("application/octet-stream", Digest.sha256(empty), 0))) {
            assertEquals(-1, in.read());
        }
    }

    @Test
    void shortStreamFailsAtEndNamingBothDigests() {
        byte[] truncated = Arrays.copyOf(CONTENT, CONTENT.length - 3);
        var in = new VerifyingInputStream(new ByteArrayInputStream(truncated), DIGEST, CONTENT.length);
        IOException e = assertThrows(IOException.class, in::readAllBytes);
        assertEquals("digest mismatch: expected " + DIGEST + ", got " + Digest.sha256(truncated)
                + " (" + truncated.length + " bytes, expected " + CONTENT.length + ")", e.getMessage());
    }

    @Test
    void longStreamFailsAsSoonAsItPassesTheSize() throws IOException {
        byte[] longer = new byte[CONTENT.length + 1000];
        System.arraycopy(CONTENT, 0, longer, 0, CONTENT.length);
        CountingStream source = new CountingStream(new ByteArrayInputStream(longer));
        var in = new VerifyingInputStream(source, DIGEST, CONTENT.length);
        // The prefix is exactly the expected content, so the eager check passes...
        assertArrayEquals(CONTENT, in.readNBytes(CONTENT.length));
        // ...and the next byte is one too many.
        IOException e = assertThrows(IOException.class, () -> in.read(new byte[64]));
        assertEquals("size mismatch: expected " + CONTENT.length + " bytes, got more", e.getMessage());
        assertTrue(source.count <= CONTENT.length + 64, "stopped reading near the size, read " + source.count);
    }

    @Test
    void neverPullsMoreThanOneBytePastTheSizeFromAnEndlessSource() {
        InputStream zeros = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
        CountingStream source = new CountingStream(zeros);
        var in = new VerifyingInputStream(source, DIGEST, 10);

        assertThrows(ContentMismatchException.class, () -> in.transferTo(java.io.OutputStream.nullOutputStream()));
        assertTrue(source.count <= 11, "read " + source.count + " bytes for a 10-byte blob");
    }

    @Test
    void wrongContentOfRightSizeFailsWhenTheSizeIsReached() throws IOException {
        byte[] wrong = CONTENT.clone();
        wrong[0] ^= 1;
        var in = new VerifyingInputStream(new ByteArrayInputStream(wrong), DIGEST, CONTENT.length);
        byte[] buf = new byte[CONTENT.length];
        // Typed, so that copy's retry logic can tell a bad source from a dropped connection.
        IOException e = assertThrows(ContentMismatchException.class, () -> in.readNBytes(buf, 0, buf.length));
        assertEquals("digest mismatch: expected " + DIGEST + ", got " + Digest.sha256(wrong)
                + " (" + CONTENT.length + " bytes)", e.getMessage());
        // The failure sticks: a retried read cannot slip past it.
        assertThrows(IOException.class, in::read);
    }

    @Test
    void wrongDigestWithUnknownSizeFailsAtEof() {
        var in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT),
                Digest.sha256("other".getBytes(StandardCharsets.UTF_8)), -1);
        IOException e = assertThrows(IOException.class, in::readAllBytes);
        assertTrue(e.getMessage().contains("got " + DIGEST + " (" + CONTENT.length + " bytes)"), e.getMessage());
    }

    @Test
    void rightDigestWrongDeclaredSizeSaysSize() {
        var in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), DIGEST, CONTENT.length + 1);
        IOException e = assertThrows(ContentMismatchException.class, in::readAllBytes);
        assertTrue(e.getMessage().startsWith("size mismatch: expected " + (CONTENT.length + 1)), e.getMessage());
    }

    @Test
    void skippedBytesAreStillVerified() {
        byte[] wrong = CONTENT.clone();
        wrong[1] ^= 1;
        var in = new VerifyingInputStream(new ByteArrayInputStream(wrong), DIGEST, CONTENT.length);
        assertThrows(IOException.class, () -> in.skip(CONTENT.length));
    }

    @Test
    void singleByteReadsVerifyToo() throws IOException {
        var in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), DIGEST, CONTENT.length);
        for (byte b : CONTENT) {
            assertEquals(b & 0xff, in.read());
        }
        assertEquals(-1, in.read());
    }

    @Test
    void sha512IsHashedWithItsOwnAlgorithm() throws Exception {
        byte[] hash = java.security.MessageDigest.getInstance("SHA-512").digest(CONTENT);
        Digest d = new Digest("sha512", java.util.HexFormat.of().formatHex(hash));
        try (var in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), d, CONTENT.length)) {
            assertArrayEquals(CONTENT, in.readAllBytes());
        }
    }

    /** Counts what the verifier pulled from its source. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
