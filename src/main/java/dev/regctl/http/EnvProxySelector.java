package dev.regctl.http;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Authenticator;
import okhttp3.Credentials;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * Chooses a proxy from {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (either
 * case) the way docker and curl read them, and answers the proxy's 407 with the user and
 * password its URL carries ({@code http://user:pass@proxy:3128}); the JVM itself ignores these
 * variables.
 */
public final class EnvProxySelector extends ProxySelector implements Authenticator {
    private final URI httpsProxy;
    private final URI httpProxy;
    private final List<String> noProxy;

    private EnvProxySelector(URI httpsProxy, URI httpProxy, List<String> noProxy) {
        this.httpsProxy = httpsProxy;
        this.httpProxy = httpProxy;
        this.noProxy = noProxy;
    }

    /** A selector for the environment, or null when no proxy variable is set. */
    public static EnvProxySelector fromEnv(Map<String, String> env) {
        URI https = uri("HTTPS_PROXY", first(env, "HTTPS_PROXY", "https_proxy"));
        URI http = uri("HTTP_PROXY", first(env, "HTTP_PROXY", "http_proxy"));
        if (https == null && http == null) {
            return null;
        }
        List<String> no = new ArrayList<>();
        String list = first(env, "NO_PROXY", "no_proxy");
        if (list != null) {
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    no.add(s.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new EnvProxySelector(https, http, no);
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        URI proxy = "https".equalsIgnoreCase(uri.getScheme()) ? httpsProxy : httpProxy;
        // Like Go's net/http (docker, skopeo): loopback never goes through a proxy, NO_PROXY or not.
        if (proxy == null || Loopback.isLoopback(host) || bypassed(host, uri.getPort())) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port(proxy))));
    }

    private static int port(URI proxy) {
        return proxy.getPort() > 0 ? proxy.getPort() : ("https".equals(proxy.getScheme()) ? 443 : 80);
    }

    /**
     * Basic credentials from the proxy URL, once: a proxy that refuses them again gets no
     * second try (its 407 is the answer), and a proxy URL without a user gets none.
     */
    @Override
    public Request authenticate(Route route, Response response) {
        if (route == null || response.request().header("Proxy-Authorization") != null
                || response.challenges().stream().noneMatch(c -> c.scheme().equalsIgnoreCase("Basic"))) {
            return null; // answered once already, or the proxy wants a scheme other than Basic
        }
        InetSocketAddress address = (InetSocketAddress) route.proxy().address();
        for (URI proxy : new URI[] {httpsProxy, httpProxy}) {
            if (proxy != null && proxy.getRawUserInfo() != null && proxy.getHost().equalsIgnoreCase(address.getHostString())
                    && port(proxy) == address.getPort()) {
                String info = proxy.getUserInfo();
                int colon = info.indexOf(':');
                String credential = Credentials.basic(colon < 0 ? info : info.substring(0, colon),
                        colon < 0 ? "" : info.substring(colon + 1), StandardCharsets.UTF_8);
                return response.request().newBuilder().header("Proxy-Authorization", credential).build();
            }
        }
        return null;
    }

    /**
     * NO_PROXY entries: {@code *}, exact hosts, {@code host:port}, domain suffixes ({@code .corp}
     * or {@code corp}), and for IP-address hosts, addresses and CIDR ranges ({@code 10.0.0.0/8}).
     */
    boolean bypassed(String host, int port) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        byte[] ip = ipLiteral(bare);
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            int slash = entry.indexOf('/');
            if (slash > 0) {
                if (ip != null && inRange(ip, entry.substring(0, slash), entry.substring(slash + 1))) {
                    return true;
                }
                continue;
            }
            String e = entry;
            int colon = e.lastIndexOf(':');
            if (colon > 0 && !e.contains("]") && e.indexOf(':') == colon) {
                if (port > 0 && !e.substring(colon + 1).equals(String.valueOf(port))) {
                    continue;
                }
                e = e.substring(0, colon);
            }
            e = e.startsWith(".") ? e.substring(1) : e;
            if (bare.equals(e) || bare.endsWith("." + e)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code ip} lies in {@code network/bits}; false for an entry that is not a CIDR range. */
    private static boolean inRange(byte[] ip, String network, String bits) {
        byte[] net = ipLiteral(network);
        if (net == null || net.length != ip.length || !bits.matches("\\d{1,3}")) {
            return false;
        }
        int prefix = Integer.parseInt(bits);
        if (prefix > net.length * 8) {
            return false;
        }
        for (int i = 0; i < prefix; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((ip[i / 8] & mask) != (net[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address an IP literal spells, or null for a host name (never looked up: no DNS here). */
    private static byte[] ipLiteral(String host) {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] parts = host.split("\\.");
            byte[] v4 = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    return null;
                }
                v4[i] = (byte) octet;
            }
            return v4;
        }
        if (host.indexOf(':') < 0 || !host.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            // With a colon the JDK parses an IPv6 literal and never resolves it.
            return InetAddress.getByName(host).getAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // Nothing to remember: the failure reaches the caller as the request's error.
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /**
     * The proxy URL in {@code value}. A malformed one is refused with a message that never
     * repeats it: it may hold a password.
     */
    private static URI uri(String variable, String value) {
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
        return uri;
    }
}
