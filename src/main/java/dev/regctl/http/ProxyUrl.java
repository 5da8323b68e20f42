package dev.regctl.http;

import dev.regctl.RegctlException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import okhttp3.Credentials;

/**
 * One proxy variable's value: how the proxy is spoken to ({@code http://}, {@code https://} or
 * SOCKS5), where it is, and the user and password its URL may carry. Never printed: the
 * password would be.
 */
final class ProxyUrl {
    /** How the connection to the proxy itself is made. */
    enum Kind {
        /** HTTP in the clear, {@code CONNECT} for https targets. */
        HTTP,
        /** The same, inside TLS to the proxy. */
        HTTPS,
        /** SOCKS5, the target's name resolved by the proxy (Go does so for both schemes). */
        SOCKS5
    }

    private final String variable;
    private final Kind kind;
    private final String host;
    private final int port;
    private final String userInfo;

    private ProxyUrl(String variable, Kind kind, String host, int port, String userInfo) {
        this.variable = variable;
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.userInfo = userInfo;
    }

    /**
     * The proxy {@code value} names, or null for none. A malformed or unsupported one is refused
     * with a message that never repeats it: it may hold a password.
     */
    static ProxyUrl parse(String variable, String value) {
        if (value == null) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(value.contains("://") ? value : "http://" + value);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null) {
            throw new RegctlException(RegctlException.Kind.USAGE, variable + " is not a usable proxy URL (its value"
                    + " is not shown: it may hold a password)",
                    "write it as http://[USER:PASSWORD@]HOST:PORT, with characters such as @ : / # % or space in the"
                            + " user or password percent-encoded", null);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        Kind kind = switch (scheme) {
            case "http" -> Kind.HTTP;
            case "https" -> Kind.HTTPS;
            case "socks5", "socks5h" -> Kind.SOCKS5;
            default -> throw new RegctlException(RegctlException.Kind.USAGE, variable + " names a " + scheme
                    + ":// proxy, which regctl cannot speak to", "use an http://, https:// or socks5:// proxy", null);
        };
        if (kind == Kind.SOCKS5 && uri.getRawUserInfo() != null) {
            // The JDK asks a process-wide Authenticator for SOCKS passwords: no per-proxy way to give one.
            throw new RegctlException(RegctlException.Kind.USAGE, variable + " names a SOCKS5 proxy with a user and"
                    + " password, which regctl does not support", "use a SOCKS5 proxy without authentication, or an"
                    + " http:// or https:// proxy", null);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : switch (kind) {
            case HTTP -> 80;
            case HTTPS -> 443;
            case SOCKS5 -> 1080;
        };
        return new ProxyUrl(variable, kind, host, port, uri.getUserInfo());
    }

    String variable() {
        return variable;
    }

    Kind kind() {
        return kind;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** {@code host:port}, IPv6 in brackets: how docker's certs.d names a host and how messages show it. */
    String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The proxy for the JDK and OkHttp; its address left unresolved, as OkHttp resolves it itself. */
    Proxy proxy() {
        return new Proxy(kind == Kind.SOCKS5 ? Proxy.Type.SOCKS : Proxy.Type.HTTP,
                InetSocketAddress.createUnresolved(host, port));
    }

    /** The {@code Proxy-Authorization} value from the URL's user and password, or null without a user. */
    String basicCredential() {
        if (userInfo == null) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        return Credentials.basic(colon < 0 ? userInfo : userInfo.substring(0, colon),
                colon < 0 ? "" : userInfo.substring(colon + 1), StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code address} is this proxy: as OkHttp names a route's proxy (unresolved) or the
     * address it resolved that name to (the name kept, or an IP literal as written or parsed).
     */
    boolean isAt(InetSocketAddress address) {
        if (address.getPort() != port) {
            return false;
        }
        if (address.getHostString().equalsIgnoreCase(host)) {
            return true;
        }
        byte[] literal = IpLiteral.parse(host);
        return literal != null && address.getAddress() != null
                && Arrays.equals(literal, address.getAddress().getAddress());
    }
}
