import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that makes a local registry look distant: every byte is delivered
 * RTT/2 after the proxy read it, in each direction, in order; and a new connection carries its
 * first byte only after one round trip (the handshake a real connection pays), so a request on
 * a fresh connection costs two round trips and one on a kept-alive connection one. The kernel
 * here has no netem, hence this. Bandwidth is not limited (up to 16 MiB in flight each way).
 *
 * <p>Usage: java scripts/Proxy.java RTT_MS PORT_FILE TARGET_FILE [PORT_FILE TARGET_FILE]...
 * Each pair is one listener on 127.0.0.1 at a port the kernel picks, written to PORT_FILE once
 * listening; TARGET_FILE holds host:port and is read at every new connection, so the target
 * can move (a registry restarted on another port) without restarting the proxy.
 */
public class Proxy {
    static final int CHUNK = 64 * 1024;
    static final int IN_FLIGHT = 16 << 20;
    static long oneWayNanos;

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length % 2 != 1) {
            System.err.println("usage: java Proxy.java RTT_MS PORT_FILE TARGET_FILE [PORT_FILE TARGET_FILE]...");
            System.exit(2);
        }
        oneWayNanos = TimeUnit.MICROSECONDS.toNanos((long) (Double.parseDouble(args[0]) * 1000 / 2));
        for (int i = 1; i < args.length; i += 2) {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            Path portFile = Path.of(args[i]), targetFile = Path.of(args[i + 1]);
            Path tmp = Path.of(args[i] + ".tmp");
            Files.writeString(tmp, Integer.toString(server.getLocalPort()));
            Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Thread t = new Thread(() -> accept(server, targetFile), "accept-" + server.getLocalPort());
            t.start();
        }
    }

    static void accept(ServerSocket server, Path targetFile) {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            long accepted = System.nanoTime();
            spawn(() -> connect(client, targetFile, accepted));
        }
    }

    static void connect(Socket client, Path targetFile, long accepted) {
        Socket upstream = new Socket();
        try {
            String target = Files.readString(targetFile, StandardCharsets.US_ASCII).trim();
            int colon = target.lastIndexOf(':');
            upstream.connect(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))));
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException | RuntimeException e) {
            System.err.println("proxy: cannot reach target: " + e);
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        Conn conn = new Conn(client, upstream);
        // The client's bytes may leave only one round trip after its connect: the handshake.
        new Pipe(conn, client, upstream, accepted + 2 * oneWayNanos).start();
        new Pipe(conn, upstream, client, 0).start();
    }

    /** Both sockets of one proxied connection, closed when both directions have ended. */
    static final class Conn {
        final Socket a, b;
        int open = 2;
        Conn(Socket a, Socket b) { this.a = a; this.b = b; }
        synchronized void ended(boolean failed) {
            if (failed || --open == 0) {
                open = 0;
                closeQuietly(a);
                closeQuietly(b);
            }
        }
    }

    record Chunk(long due, byte[] data) {}

    /** One direction: a reader stamping each chunk with its due time, a writer holding it until then. */
    static final class Pipe {
        final Conn conn;
        final Socket from, to;
        final long notBefore;
        final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        final Semaphore room = new Semaphore(IN_FLIGHT);
        static final byte[] EOF = new byte[0];

        Pipe(Conn conn, Socket from, Socket to, long notBefore) {
            this.conn = conn; this.from = from; this.to = to; this.notBefore = notBefore;
        }

        void start() {
            spawn(this::read);
            spawn(this::write);
        }

        void read() {
            try {
                if (notBefore != 0) sleepUntil(notBefore);
                InputStream in = from.getInputStream();
                byte[] buf = new byte[CHUNK];
                while (true) {
                    int n = in.read(buf);
                    long due = System.nanoTime() + oneWayNanos;
                    if (n < 0) {
                        queue.put(new Chunk(due, EOF));
                        return;
                    }
                    room.acquire(n);
                    byte[] data = new byte[n];
                    System.arraycopy(buf, 0, data, 0, n);
                    queue.put(new Chunk(due, data));
                }
            } catch (IOException | InterruptedException e) {
                queue.add(new Chunk(0, null));
            }
        }

        void write() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    if (c.data == null) {
                        conn.ended(true);
                        return;
                    }
                    sleepUntil(c.due);
                    if (c.data == EOF) {
                        to.shutdownOutput();
                        conn.ended(false);
                        return;
                    }
                    out.write(c.data);
                    room.release(c.data.length);
                }
            } catch (IOException | InterruptedException e) {
                conn.ended(true);
            }
        }
    }

    static void spawn(Runnable r) {
        Thread t = new Thread(null, r, "pipe", 256 * 1024);
        t.setDaemon(true);
        t.start();
    }

    static void sleepUntil(long due) {
        for (long left; (left = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(left);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
        }
    }
}
