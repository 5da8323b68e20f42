package dev.regctl.http;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Plain sockets that move bytes in system calls of up to {@link #BUFFER} bytes. Okio reads and
 * writes a socket one 8 KiB segment at a time, so a 512 MiB copy cost over 130,000 read and write
 * calls, four times skopeo's; buffering both streams costs a copy within the CPU cache instead.
 * Whatever the socket writes reaches the wire on {@code flush}, which OkHttp calls at the end of
 * every request (and TLS after every record it writes).
 */
final class BulkSocketFactory extends UnconnectedSocketFactory {
    /** Eight of Okio's segments, and loopback's largest packet. */
    static final int BUFFER = 64 * 1024;

    @Override
    public Socket createSocket() {
        return new BulkSocket();
    }

    /** A socket whose streams are buffered, made once so every caller shares the same buffers. */
    private static final class BulkSocket extends Socket {
        private InputStream in;
        private OutputStream out;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedIn(super.getInputStream());
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new BufferedOutputStream(super.getOutputStream(), BUFFER);
            }
            return out;
        }
    }

    /**
     * Fills its buffer with one read of whatever the socket has, and hands it out. Unlike
     * {@link java.io.BufferedInputStream}, it never asks the socket how much more is waiting (a
     * system call of its own) to fill a caller's array to the brim.
     */
    static final class BufferedIn extends FilterInputStream {
        private final byte[] buffer = new byte[BUFFER];
        private int pos;
        private int end;

        BufferedIn(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (pos == end && fill() < 0) {
                return -1;
            }
            return buffer[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (pos == end) {
                if (len >= BUFFER) {
                    return in.read(b, off, len);
                }
                if (fill() < 0) {
                    return -1;
                }
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            if (pos == end) {
                return in.skip(n);
            }
            int skipped = (int) Math.min(n, end - pos);
            pos += skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return end - pos + in.available();
        }

        private int fill() throws IOException {
            int n = in.read(buffer, 0, BUFFER);
            pos = 0;
            end = Math.max(n, 0);
            return n;
        }
    }
}
