package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole blocks to the JDK's digest, the same digest as feeding it directly. */
class BlockAlignedHasherTest {
    private static final byte[] DATA = new byte[100_003];

    static {
        new Random(11).nextBytes(DATA);
    }

    @Test
    void readsOfAnySizeGiveTheDigestOfTheBytes() throws Exception {
        for (String algorithm : List.of("sha256", "sha512")) {
            Digest expected = new Digest(algorithm, HexFormat.of().formatHex(
                    MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512").digest(DATA)));
            MessageDigest hasher = expected.newHasher();
            Random sizes = new Random(3);
            for (int off = 0; off < DATA.length; ) {
                int n = Math.min(DATA.length - off, sizes.nextInt(300));
                if (n == 1) {
                    hasher.update(DATA[off]);
                } else {
                    hasher.update(DATA, off, n);
                }
                off += n;
            }
            assertTrue(expected.matches(hasher), algorithm);
            // Reusable after digest, as a MessageDigest is.
            assertTrue(expected.isDigestOf(DATA));
            hasher.update(DATA, 0, 5);
            hasher.reset();
            hasher.update(DATA);
            assertTrue(expected.matches(hasher), algorithm + " after reset");
        }
    }

    @Test
    void theJdkDigestGetsWholeBlocksUntilTheEnd() throws Exception {
        Recording jdk = new Recording();
        MessageDigest hasher = new BlockAlignedHasher(jdk, 64);
        int[] reads = {8000, 8192, 1, 63, 8191, 4096, 7};
        int off = 0;
        for (int n : reads) {
            hasher.update(DATA, off, n);
            off += n;
        }
        byte[] digest = hasher.digest();
        List<Integer> last = jdk.updates.subList(jdk.updates.size() - 1, jdk.updates.size());
        for (int n : jdk.updates.subList(0, jdk.updates.size() - 1)) {
            assertEquals(0, n % 64, "an update of " + n + " bytes in " + jdk.updates);
        }
        assertEquals(off % 64, last.get(0) % 64, "the rest goes in at the end");
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(DATA, off)), digest);
    }

    /** SHA-256 that records the size of every update it is given. */
    private static final class Recording extends MessageDigest {
        final List<Integer> updates = new ArrayList<>();
        private final MessageDigest sha = MessageDigest.getInstance("SHA-256");

        Recording() throws Exception {
            super("SHA-256");
        }

        @Override
        protected void engineUpdate(byte input) {
            updates.add(1);
            sha.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            updates.add(len);
            sha.update(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            return sha.digest();
        }

        @Override
        protected void engineReset() {
            sha.reset();
        }
    }
}
