package dev.regctl.oci;

import java.security.MessageDigest;

/**
 * A hasher that hands the JDK's digest whole blocks only. The JDK hashes a run of whole blocks in
 * a method the JIT compiles to the CPU's SHA instructions, but finishes a block left partial by
 * the previous update in plain Java; reads from a socket end anywhere, so without this one block
 * in every read (one in 128 of an 8 KiB read) took the slow path.
 */
final class BlockAlignedHasher extends MessageDigest {
    private final MessageDigest delegate;
    private final byte[] carry;
    private int carried;

    /** @param blockSize the algorithm's block size in bytes (64 for SHA-256, 128 for SHA-512) */
    BlockAlignedHasher(MessageDigest delegate, int blockSize) {
        super(delegate.getAlgorithm());
        this.delegate = delegate;
        this.carry = new byte[blockSize];
    }

    @Override
    protected void engineUpdate(byte input) {
        carry[carried++] = input;
        if (carried == carry.length) {
            delegate.update(carry, 0, carried);
            carried = 0;
        }
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        if (carried > 0) {
            int n = Math.min(len, carry.length - carried);
            System.arraycopy(input, offset, carry, carried, n);
            carried += n;
            offset += n;
            len -= n;
            if (carried < carry.length) {
                return;
            }
            delegate.update(carry, 0, carried);
            carried = 0;
        }
        int whole = len - len % carry.length;
        if (whole > 0) {
            delegate.update(input, offset, whole);
        }
        carried = len - whole;
        System.arraycopy(input, offset + whole, carry, 0, carried);
    }

    @Override
    protected byte[] engineDigest() {
        delegate.update(carry, 0, carried);
        carried = 0;
        return delegate.digest();
    }

    @Override
    protected void engineReset() {
        carried = 0;
        delegate.reset();
    }

    @Override
    protected int engineGetDigestLength() {
        return delegate.getDigestLength();
    }
}
