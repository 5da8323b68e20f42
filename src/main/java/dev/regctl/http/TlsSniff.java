package dev.regctl.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tells whether a server port speaks TLS, without setting up TLS: it sends a TLS 1.2 ClientHello
 * and looks at the first bytes of the answer. A TLS server answers with a handshake or an alert
 * record; anything else (an HTTP error page, a closed connection, silence) means it does not.
 * Setting up the JVM's TLS stack to ask the same question costs about a third of a short run,
 * which loopback registries, mostly plain HTTP, should not pay. No secret is sent and nothing
 * is trusted: the real connection does its own, verified handshake.
 */
final class TlsSniff {
    private static final int HANDSHAKE = 0x16;
    private static final int ALERT = 0x15;
    private static final int TLS_MAJOR = 0x03;

    private TlsSniff() {
    }

    /**
     * True when some address of {@code host} accepts a connection on {@code port} and answers the
     * hello as a TLS server would; false when none accepts, or the one that does is not TLS.
     */
    static boolean speaksTls(String host, int port, Duration wait) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (IOException e) {
            return false;
        }
        // Like the real connection, try each address (localhost may be ::1 first while the
        // server listens on 127.0.0.1 only): the first that accepts is the one that answers.
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), (int) wait.toMillis());
            } catch (IOException refusedOrUnreachable) {
                closeQuietly(socket);
                continue; // the next address may be the one listening
            }
            try {
                return answersAsTls(socket, wait);
            } finally {
                closeQuietly(socket);
            }
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the answer is already known
        }
    }

    /** Silent, reset, or answering anything but a TLS record: not TLS. */
    private static boolean answersAsTls(Socket socket, Duration wait) {
        try {
            socket.setSoTimeout((int) wait.toMillis());
            socket.getOutputStream().write(clientHello());
            // Plain-HTTP servers wait for a request line that the hello never completes;
            // ending our side makes them answer or close now instead of at their timeout.
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            int type = in.read();
            return (type == HANDSHAKE || type == ALERT) && in.read() == TLS_MAJOR;
        } catch (IOException silentOrReset) {
            return false;
        }
    }

    /** A ClientHello any TLS 1.2 or 1.3 server answers with a ServerHello or an alert. */
    static byte[] clientHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, 0x0303);                                   // legacy version: TLS 1.2
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        body.writeBytes(random);
        body.write(0);                                       // no session id
        int[] suites = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x002f};
        u16(body, suites.length * 2);
        for (int s : suites) {
            u16(body, s);
        }
        body.write(1);                                       // compression: null only
        body.write(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        extension(ext, 0x000a, 0x0006, 0x001d, 0x0017, 0x0018);           // groups: x25519, P-256, P-384
        extension(ext, 0x000b, 0x0100);                                   // point formats: uncompressed
        extension(ext, 0x000d, 0x0012, 0x0403, 0x0804, 0x0401, 0x0503,    // signature algorithms
                0x0805, 0x0501, 0x0806, 0x0601, 0x0201);
        u16(body, ext.size());
        body.writeBytes(ext.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(HANDSHAKE);
        u16(record, 0x0301);                                 // record version, as clients send it
        u16(record, body.size() + 4);
        record.write(0x01);                                  // handshake type: ClientHello
        record.write(0);
        u16(record, body.size());
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    /** An extension whose data is the given 16-bit values (the first being its inner length where it has one). */
    private static void extension(ByteArrayOutputStream out, int type, int... values) {
        u16(out, type);
        u16(out, values.length * 2);
        for (int v : values) {
            u16(out, v);
        }
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }
}
