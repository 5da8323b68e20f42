package dev.regctl.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Authenticator;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * Chooses a proxy from {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (either
 * case) the way docker and curl read them, and answers the proxy's 407 with the user and
 * password its URL carries ({@code http://user:pass@proxy:3128}); the JVM itself ignores these
 * variables. A proxy is spoken to as its URL says: {@code http://}, {@code https://} (TLS to the
 * proxy, then the tunnel inside it) or {@code socks5://}; any other scheme is refused.
 */
final class EnvProxySelector extends ProxySelector implements Authenticator {
    private final ProxyUrl httpsProxy;
    private final ProxyUrl httpProxy;
    private final List<String> noProxy;

    private EnvProxySelector(ProxyUrl httpsProxy, ProxyUrl httpProxy, List<String> noProxy) {
        this.httpsProxy = httpsProxy;
        this.httpProxy = httpProxy;
        this.noProxy = noProxy;
    }

    /** A selector for the environment, or null when no proxy variable is set. */
    public static EnvProxySelector fromEnv(Map<String, String> env) {
        ProxyUrl https = ProxyUrl.parse("HTTPS_PROXY", first(env, "HTTPS_PROXY", "https_proxy"));
        ProxyUrl http = ProxyUrl.parse("HTTP_PROXY", first(env, "HTTP_PROXY", "http_proxy"));
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

    /**
     * Routes {@code client}'s requests through these proxies: this selector and its answer to a
     * 407, and TLS to an {@code https://} proxy (trusting, besides the JVM's CAs, those in
     * {@code certsDirs}{@code /PROXYHOST:PORT/}).
     */
    public void configure(OkHttpClient.Builder client, List<Path> certsDirs) {
        client.proxySelector(this).proxyAuthenticator(this);
        List<ProxyUrl> tls = proxies().stream().filter(p -> p.kind() == ProxyUrl.Kind.HTTPS).toList();
        if (!tls.isEmpty()) {
            client.socketFactory(new ProxyTlsSocketFactory(tls, certsDirs));
        }
    }

    private List<ProxyUrl> proxies() {
        List<ProxyUrl> all = new ArrayList<>(2);
        for (ProxyUrl p : new ProxyUrl[] {httpsProxy, httpProxy}) {
            if (p != null) {
                all.add(p);
            }
        }
        return all;
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        ProxyUrl proxy = "https".equalsIgnoreCase(uri.getScheme()) ? httpsProxy : httpProxy;
        // Like Go's net/http (docker, skopeo): loopback never goes through a proxy, NO_PROXY or not.
        if (proxy == null || Loopback.isLoopback(host) || bypassed(host, uri.getPort())) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(proxy.proxy());
    }

    /**
     * Basic credentials from the proxy URL, once: a proxy that refuses them again gets no
     * second try (its 407 is the answer), and a proxy URL without a user gets none. An
     * {@code https://} proxy only ever receives them inside its TLS (see {@link #configure}).
     */
    @Override
    public Request authenticate(Route route, Response response) {
        if (route == null || response.request().header("Proxy-Authorization") != null
                || response.challenges().stream().noneMatch(c -> c.scheme().equalsIgnoreCase("Basic"))) {
            return null; // answered once already, or the proxy wants a scheme other than Basic
        }
        InetSocketAddress address = (InetSocketAddress) route.proxy().address();
        for (ProxyUrl proxy : proxies()) {
            String credential = proxy.basicCredential();
            if (credential != null && proxy.kind() != ProxyUrl.Kind.SOCKS5 && proxy.isAt(address)) {
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
        byte[] ip = IpLiteral.parse(bare);
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
        byte[] net = IpLiteral.parse(network);
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
}
