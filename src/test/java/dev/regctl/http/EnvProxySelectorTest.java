package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
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

    @Test
    void noProxyMatchesIpAddressesByCidrRange() {
        EnvProxySelector s = EnvProxySelector.fromEnv(Map.of("HTTPS_PROXY", "http://proxy.corp:3128",
                "NO_PROXY", "10.0.0.0/8,192.168.1.0/24,fd00::/8,bad/99,10.0.0.0/x"));
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("https://10.20.30.40:5000/v2/")));
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("https://192.168.1.7/v2/")));
        assertEquals(List.of(Proxy.NO_PROXY), s.select(URI.create("https://[fd12::1]:5000/v2/")));
        assertEquals(Proxy.Type.HTTP, s.select(URI.create("https://192.168.2.7/v2/")).get(0).type());
        assertEquals(Proxy.Type.HTTP, s.select(URI.create("https://11.0.0.1/v2/")).get(0).type());
        // A range never matches a host name: that would take a DNS lookup, which Go's rule does not do either.
        assertEquals(Proxy.Type.HTTP, s.select(URI.create("https://ten.example/v2/")).get(0).type());
    }

    @Test
    void theProxysUserAndPasswordAnswerItsChallengeOnceAndStayOutOfTheTrace() throws Exception {
        try (MockWebServer proxy = new MockWebServer()) {
            proxy.enqueue(new MockResponse().setResponseCode(407).addHeader("Proxy-Authenticate", "Basic realm=\"corp\""));
            proxy.enqueue(new MockResponse().setBody("ok"));
            proxy.enqueue(new MockResponse().setResponseCode(407).addHeader("Proxy-Authenticate", "Basic realm=\"corp\""));
            proxy.enqueue(new MockResponse().setResponseCode(407).addHeader("Proxy-Authenticate", "Basic realm=\"corp\""));
            proxy.start(InetAddress.getByName("127.0.0.1"), 0);
            EnvProxySelector s = EnvProxySelector.fromEnv(Map.of(
                    "HTTP_PROXY", "http://ci%40corp:p%3Ass@127.0.0.1:" + proxy.getPort()));
            StringWriter trace = new StringWriter();
            OkHttpClient client = new OkHttpClient.Builder().proxySelector(s).proxyAuthenticator(s)
                    .addNetworkInterceptor(new HttpTrace(new PrintWriter(trace, true))).build();

            try (Response r = client.newCall(new Request.Builder().url("http://registry.example/v2/").build()).execute()) {
                assertEquals("ok", r.body().string());
            }
            assertNull(proxy.takeRequest().getHeader("Proxy-Authorization"));
            assertEquals(Credentials.basic("ci@corp", "p:ss"), proxy.takeRequest().getHeader("Proxy-Authorization"));
            assertFalse(trace.toString().contains(Credentials.basic("ci@corp", "p:ss").substring(6)), trace.toString());

            try (Response refused = client.newCall(new Request.Builder().url("http://registry.example/v2/").build()).execute()) {
                assertEquals(407, refused.code(), "refused credentials are not sent again and again");
            }
        }
    }

    @Test
    void aMalformedProxyUrlIsRefusedWithoutRepeatingIt() {
        dev.regctl.RegctlException e = org.junit.jupiter.api.Assertions.assertThrows(dev.regctl.RegctlException.class,
                () -> EnvProxySelector.fromEnv(Map.of("HTTPS_PROXY", "http://bob:s3cr et@proxy.corp:3128")));
        assertEquals(dev.regctl.RegctlException.Kind.USAGE, e.kind());
        assertFalse(e.getMessage().contains("s3cr"), e.getMessage());
        assertFalse(e.hint().contains("s3cr"), e.hint());
        assertFalse(String.valueOf(e.getCause()).contains("s3cr"), "the cause is printed with --verbose");
        // An unencoded '#' ends the authority early: no host is left, which is refused too.
        org.junit.jupiter.api.Assertions.assertThrows(dev.regctl.RegctlException.class,
                () -> EnvProxySelector.fromEnv(Map.of("HTTP_PROXY", "http://bob:pa#ss@proxy.corp:3128")));
    }

    @Test
    void eachProxyIsSpokenToAsItsSchemeSays() {
        EnvProxySelector socks = EnvProxySelector.fromEnv(Map.of("HTTPS_PROXY", "socks5://proxy.corp",
                "HTTP_PROXY", "SOCKS5H://proxy.corp:1081"));
        assertSelects(socks, "https://quay.io/v2/", Proxy.Type.SOCKS, "proxy.corp", 1080);
        assertSelects(socks, "http://quay.io/v2/", Proxy.Type.SOCKS, "proxy.corp", 1081);
        EnvProxySelector tls = EnvProxySelector.fromEnv(Map.of("HTTPS_PROXY", "https://proxy.corp",
                "HTTP_PROXY", "http://[fd00::1]"));
        assertSelects(tls, "https://quay.io/v2/", Proxy.Type.HTTP, "proxy.corp", 443);
        assertSelects(tls, "http://quay.io/v2/", Proxy.Type.HTTP, "fd00::1", 80);
    }

    private static void assertSelects(EnvProxySelector s, String url, Proxy.Type type, String host, int port) {
        assertEquals(List.of(new Proxy(type, InetSocketAddress.createUnresolved(host, port))), s.select(URI.create(url)), url);
    }

    @Test
    void aProxySchemeRegctlCannotSpeakIsRefusedNamingTheVariable() {
        for (String[] env : new String[][] {{"HTTPS_PROXY", "socks4://bob:s3cret@proxy.corp:1080"},
            {"http_proxy", "ftp://bob:s3cret@proxy.corp"}, {"HTTP_PROXY", "socks5://bob:s3cret@proxy.corp"}}) {
            dev.regctl.RegctlException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.regctl.RegctlException.class, () -> EnvProxySelector.fromEnv(Map.of(env[0], env[1])));
            assertEquals(dev.regctl.RegctlException.Kind.USAGE, e.kind());
            String variable = env[0].toUpperCase(java.util.Locale.ROOT);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(variable + " "), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret") || e.hint().contains("s3cret"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
