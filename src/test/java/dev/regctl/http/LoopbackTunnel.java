package dev.regctl.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ServerSocketFactory;

/**
 * A proxy on loopback for tests: SOCKS5, or HTTP {@code CONNECT} (inside TLS when given a TLS
 * server socket factory). Whatever target a client asks for, the tunnel goes to one loopback
 * port; what was asked for, and with which {@code Proxy-Authorization}, is recorded.
 */
final class LoopbackTunnel implements AutoCloseable {
    private enum Protocol { SOCKS5, CONNECT }

    private final Protocol protocol;
    private final ServerSocket server;
    private final int targetPort;
    private final String credential;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    /** {@code host:port} of each tunnel a client asked for, in order. */
    final List<String> requested = Collections.synchronizedList(new ArrayList<>());
    /** The {@code Proxy-Authorization} of each {@code CONNECT} ("none" when absent), in order. */
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

    private LoopbackTunnel(Protocol protocol, ServerSocketFactory sockets, int targetPort, String credential)
            throws IOException {
        this.protocol = protocol;
        this.server = sockets.createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.targetPort = targetPort;
        this.credential = credential;
        threads.execute(this::accept);
    }

    /** A SOCKS5 proxy without authentication, every tunnel to {@code targetPort}. */
    static LoopbackTunnel socks5(int targetPort) throws IOException {
        return new LoopbackTunnel(Protocol.SOCKS5, ServerSocketFactory.getDefault(), targetPort, null);
    }

    /**
     * An HTTP {@code CONNECT} proxy on {@code sockets} that answers 407 until it is sent
     * {@code credential} (none needed when null), every tunnel to {@code targetPort}.
     */
    static LoopbackTunnel connect(ServerSocketFactory sockets, int targetPort, String credential) throws IOException {
        return new LoopbackTunnel(Protocol.CONNECT, sockets, targetPort, credential);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                open.add(client);
                threads.execute(() -> serve(client));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            boolean granted = protocol == Protocol.SOCKS5 ? socks(new DataInputStream(in), out) : connect(in, out);
            if (granted) {
                try (Socket target = new Socket(InetAddress.getByName("127.0.0.1"), targetPort)) {
                    open.add(target);
                    threads.execute(() -> copy(target, client));
                    copy(client, target);
                }
            }
        } catch (IOException e) {
            // the client or the target went away
        }
    }

    private boolean socks(DataInputStream in, OutputStream out) throws IOException {
        if (in.readUnsignedByte() != 5) {
            return false;
        }
        in.readNBytes(in.readUnsignedByte()); // the methods offered; "no authentication" is chosen
        out.write(new byte[] {5, 0});
        byte[] head = in.readNBytes(4); // version, CONNECT, reserved, address type
        String host = switch (head[3]) {
            case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
            case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
            case 4 -> InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
            default -> throw new IOException("address type " + head[3]);
        };
        requested.add(host + ":" + in.readUnsignedShort());
        out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        out.flush();
        return true;
    }

    private boolean connect(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String requestLine = line(in);
            if (requestLine == null || !requestLine.startsWith("CONNECT ")) {
                return false;
            }
            String authorization = "none";
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                if (h.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:")) {
                    authorization = h.substring(h.indexOf(':') + 1).trim();
                }
            }
            requested.add(requestLine.split(" ")[1]);
            authorizations.add(authorization);
            if (credential == null || credential.equals(authorization)) {
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return true;
            }
            out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    /** One CRLF-ended line, read byte by byte so nothing of the tunnel after it is consumed. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.close();
                from.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
        threads.shutdownNow();
    }
}
