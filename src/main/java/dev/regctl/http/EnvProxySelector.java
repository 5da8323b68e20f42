package dev.regctl.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses a proxy from {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (either
 * case) the way docker and curl read them; the JVM itself ignores these variables.
 */
public final class EnvProxySelector extends ProxySelector {
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
        URI https = uri(first(env, "HTTPS_PROXY", "https_proxy"));
        URI http = uri(first(env, "HTTP_PROXY", "http_proxy"));
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
        int port = proxy.getPort() > 0 ? proxy.getPort() : ("https".equals(proxy.getScheme()) ? 443 : 80);
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port)));
    }

    /** NO_PROXY entries: {@code *}, exact hosts, {@code host:port}, and domain suffixes ({@code .corp} or {@code corp}). */
    boolean bypassed(String host, int port) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
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

    private static URI uri(String value) {
        if (value == null) {
            return null;
        }
        return URI.create(value.contains("://") ? value : "http://" + value);
    }
}
