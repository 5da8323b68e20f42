package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvProxySelectorTest {
    private final EnvProxySelector selector = EnvProxySelector.fromEnv(Map.of(
            "https_proxy", "http://proxy.corp:3128", "HTTP_PROXY", "plain.corp:8080",
            "NO_PROXY", "localhost,127.0.0.1,.internal,registry.example:5000"));

    private String proxyFor(String url) {
        Proxy p = selector.select(URI.create(url)).get(0);
        if (p == Proxy.NO_PROXY) {
            return "direct";
        }
        InetSocketAddress a = (InetSocketAddress) p.address();
        return a.getHostString() + ":" + a.getPort();
    }

    @Test
    void picksTheProxyByScheme() {
        assertEquals("proxy.corp:3128", proxyFor("https://quay.io/v2/"));
        assertEquals("plain.corp:8080", proxyFor("http://example.com/v2/"));
    }

    @Test
    void noProxyMatchesHostsSuffixesAndPorts() {
        assertEquals("direct", proxyFor("https://localhost:5000/v2/"));
        assertEquals("direct", proxyFor("http://127.0.0.1:5000/v2/"));
        assertEquals("direct", proxyFor("https://harbor.internal/v2/"));
        assertEquals("direct", proxyFor("https://internal/v2/"));
        assertEquals("direct", proxyFor("https://registry.example:5000/v2/"));
        assertEquals("proxy.corp:3128", proxyFor("https://registry.example:443/v2/"));
        assertEquals("proxy.corp:3128", proxyFor("https://notinternal/v2/"));
    }

    @Test
    void loopbackIsNeverProxiedEvenWhenNoProxyIsUnset() {
        // Go's net/http (docker, skopeo) never proxies localhost or a loopback IP: a proxy elsewhere
        // cannot reach this machine's registry.
        EnvProxySelector only = EnvProxySelector.fromEnv(Map.of("HTTPS_PROXY", "http://proxy.corp:3128",
                "HTTP_PROXY", "http://proxy.corp:3128"));
        for (String url : new String[] {"https://localhost:5000/v2/", "http://127.0.0.1:5000/v2/",
            "http://127.1.2.3/v2/", "https://[::1]:5000/v2/"}) {
            assertEquals(Proxy.NO_PROXY, only.select(URI.create(url)).get(0), url);
        }
        assertEquals(Proxy.Type.HTTP, only.select(URI.create("https://quay.io/v2/")).get(0).type());
    }

    @Test
    void noVariablesMeansNoSelector() {
        assertNull(EnvProxySelector.fromEnv(Map.of("NO_PROXY", "*")));
    }
}
