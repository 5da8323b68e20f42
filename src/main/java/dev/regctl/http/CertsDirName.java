package dev.regctl.http;

import java.net.Socket;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Which of docker's {@code certs.d} host directories ({@code HOST:PORT} or {@code HOST}, as the
 * registry is written, IPv6 in brackets) stands for the peer of a TLS connection. The one rule
 * by which CAs, client certificates and {@code --insecure} each reach their own host only.
 */
final class CertsDirName {
    private CertsDirName() {
    }

    /** The name in {@code names} for {@code host} on {@code port}: {@code HOST:PORT} first, then {@code HOST}; or null. */
    static String match(Set<String> names, String host, int port) {
        if (host == null || names.isEmpty()) {
            return null;
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String withPort = h + ":" + port;
        return names.contains(withPort) ? withPort : names.contains(h) ? h : null;
    }

    /**
     * The name in {@code names} for a registry written {@code HOST[:PORT]}: as written first, then
     * its host alone (docker's {@code certs.d/HOST} serves every port); or null.
     */
    static String forRegistry(Set<String> names, String registry) {
        if (registry == null || names.isEmpty()) {
            return null;
        }
        if (names.contains(registry)) {
            return registry;
        }
        int end = registry.startsWith("[") ? registry.indexOf(']') + 1 : registry.lastIndexOf(':');
        String host = end <= 0 ? registry : registry.substring(0, end);
        return names.contains(host) ? host : null;
    }

    /** The name for the peer of a handshake in progress on {@code socket}, or null. */
    static String match(Set<String> names, Socket socket) {
        if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null
                && ssl.getHandshakeSession().getPeerHost() != null) {
            SSLSession s = ssl.getHandshakeSession();
            return match(names, s.getPeerHost(), s.getPeerPort());
        }
        // Without the name the connection was opened for, only the address is known.
        return socket == null || socket.getInetAddress() == null ? null
                : match(names, socket.getInetAddress().getHostName(), socket.getPort());
    }

    /** The name for the peer of {@code engine}, or null. */
    static String match(Set<String> names, SSLEngine engine) {
        return engine == null ? null : match(names, engine.getPeerHost(), engine.getPeerPort());
    }
}
