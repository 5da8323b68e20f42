package dev.regctl.http;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The one HTTP client of a run and the rule for which scheme each registry is spoken to with:
 * HTTPS, except that loopback hosts (and, with {@code --insecure}, any host) fall back to plain
 * HTTP when HTTPS cannot be established, as docker does.
 */
public final class Transport implements AutoCloseable {
    /** Registries log and rate-limit by client; say who we are. */
    static final String USER_AGENT = "regctl/" + java.util.Objects.requireNonNullElse(
            Transport.class.getPackage().getImplementationVersion(), "dev");

    private final TransportOptions options;
    private final OkHttpClient base;
    private final OkHttpClient client;
    private final Map<String, HttpUrl> baseUrls = new ConcurrentHashMap<>();

    /**
     * @param hosts the registries this run talks to (their certs.d CAs are trusted)
     * @param auth builds the authenticating interceptor from the plain client it should use for
     *     token requests (so token requests are not themselves intercepted)
     */
    public Transport(TransportOptions options, Collection<String> hosts,
            Function<OkHttpClient, Interceptor> auth) {
        this.options = options;
        TrustConfig trust = TrustConfig.forHosts(hosts, options.certsDirs(), options.insecure());
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(15))
                .readTimeout(Duration.ofSeconds(120))
                .writeTimeout(Duration.ofSeconds(120))
                .sslSocketFactory(trust.sslContext().getSocketFactory(), trust.trustManager())
                .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                        .header("User-Agent", USER_AGENT).build()))
                .addInterceptor(new RetryInterceptor(RetryPolicy.DEFAULT, d -> Thread.sleep(d.toMillis())));
        if (options.insecure()) {
            b.hostnameVerifier((h, s) -> true);
        }
        EnvProxySelector proxies = EnvProxySelector.fromEnv(System.getenv());
        if (proxies != null) {
            b.proxySelector(proxies);
        }
        if (options.trace() != null) {
            b.addNetworkInterceptor(new HttpTrace(options.trace()));
        }
        this.base = b.build();
        // The auth interceptor goes outermost so each of its attempts is itself retried.
        if (auth == null) {
            this.client = base;
        } else {
            OkHttpClient.Builder withAuth = base.newBuilder();
            withAuth.interceptors().add(0, auth.apply(base));
            this.client = withAuth.build();
        }
        this.client.dispatcher().setMaxRequestsPerHost(16);
    }

    /** The shared client: TLS, retries, trace and authentication. */
    public OkHttpClient client() {
        return client;
    }

    /**
     * {@code https://HOST/} or, where allowed and HTTPS fails, {@code http://HOST/}. Decided once
     * per host per run.
     */
    public HttpUrl baseUrl(String apiHost) throws IOException {
        HttpUrl known = baseUrls.get(apiHost);
        if (known != null) {
            return known;
        }
        HttpUrl https = HttpUrl.get("https://" + apiHost + "/");
        HttpUrl chosen = https;
        if (options.plainHttp().contains(apiHost)) {
            chosen = HttpUrl.get("http://" + apiHost + "/");
        } else if (options.insecure() || Loopback.isLoopback(apiHost)) {
            chosen = httpsWorks(https) ? https : HttpUrl.get("http://" + apiHost + "/");
        }
        baseUrls.putIfAbsent(apiHost, chosen);
        return baseUrls.get(apiHost);
    }

    private boolean httpsWorks(HttpUrl https) throws IOException {
        Request ping = new Request.Builder().url(https.resolve("/v2/")).get().build();
        // A short read timeout and no retries: some plain-HTTP servers wait for a request line that
        // a TLS hello never sends, instead of answering 400, and would never answer a retry either.
        // A loopback handshake takes milliseconds, so a second is already generous there.
        Duration wait = Loopback.isLoopback(https.host()) ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
        OkHttpClient.Builder pb = base.newBuilder().readTimeout(wait);
        pb.interceptors().clear();
        OkHttpClient probe = pb.build();
        try (Response ignored = probe.newCall(ping).execute()) {
            return true;
        } catch (SSLException | SocketException | SocketTimeoutException e) {
            // A plain-HTTP registry answers a TLS hello with garbage (SSLException), resets the
            // connection, or stays silent (SocketTimeoutException); a registry listening only
            // elsewhere refuses (ConnectException): all mean "try plain HTTP".
            return false;
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
