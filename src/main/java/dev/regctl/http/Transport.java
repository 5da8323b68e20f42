package dev.regctl.http;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The one HTTP client of a run and the rule for which scheme each registry is spoken to with:
 * HTTPS, except that loopback hosts (and, with {@code --insecure}, any host) fall back to plain
 * HTTP when HTTPS cannot be established, as docker does. HTTPS requests are verified by the
 * registry they are made for ({@link RequestFor}; see {@link TrustConfig}).
 */
public final class Transport implements AutoCloseable {
    /** Registries log and rate-limit by client; say who we are. */
    static final String USER_AGENT = "regctl/" + java.util.Objects.requireNonNullElse(
            Transport.class.getPackage().getImplementationVersion(), "dev");

    private final TransportOptions options;
    private final Collection<String> hosts;
    private final OkHttpClient base;
    private final Call.Factory client;
    private final Map<String, HttpUrl> baseUrls = new ConcurrentHashMap<>();
    private final StopGate gate = new StopGate();
    private TrustConfig trust;
    private SchemeRouter baseRouter;

    /**
     * @param hosts the registry hosts this run talks to: what {@code --insecure} applies to, and
     *     whose certs.d directories are read when TLS is first set up
     * @param auth builds the authenticating interceptor from the plain client it should use for
     *     token requests (so token requests are not themselves intercepted), one that follows no
     *     redirect: a token request may carry a password or a refresh token, which OkHttp would
     *     send on to wherever a 307 or 308 points
     */
    public Transport(TransportOptions options, Collection<String> hosts,
            Function<Call.Factory, Interceptor> auth) {
        this.options = options;
        this.hosts = List.copyOf(hosts);
        // Cleartext only until an https URL is called: TLS set-up (the JVM trust store, certs.d)
        // is a third of a short run, and loopback registries mostly speak plain HTTP.
        HttpsRedirect httpsRedirect = new HttpsRedirect(request -> baseRouter.tls(request));
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .followSslRedirects(false)
                .socketFactory(new BulkSocketFactory())
                .connectTimeout(Duration.ofSeconds(15))
                .readTimeout(options.idleLimit())
                .writeTimeout(options.idleLimit())
                .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                        .header("User-Agent", USER_AGENT).build()))
                .addInterceptor(new RetryInterceptor(RetryPolicy.DEFAULT, d -> Thread.sleep(d.toMillis())))
                .addInterceptor(httpsRedirect);
        EnvProxySelector proxies = EnvProxySelector.fromEnv(System.getenv());
        if (proxies != null) {
            proxies.configure(b, options.certsDirs());
        }
        if (options.trace() != null) {
            b.addNetworkInterceptor(new HttpTrace(options.trace()));
        }
        this.base = b.build();
        this.base.dispatcher().setMaxRequestsPerHost(16);
        this.baseRouter = new SchemeRouter(base, this::trustFor, this::withTls);
        // The auth interceptor goes outermost but for the stop gate, so each of its attempts is
        // itself retried; its token requests pass the gate, as a clean-up may need a token.
        OkHttpClient.Builder outer = base.newBuilder();
        outer.interceptors().add(0, gate);
        if (auth != null) {
            // Token requests follow no redirect, not even GET's upgrade to HTTPS: the token
            // endpoint follows those it may itself, knowing which of its requests carry a secret.
            OkHttpClient.Builder tokens = base.newBuilder().followRedirects(false).followSslRedirects(false);
            tokens.interceptors().remove(httpsRedirect);
            outer.interceptors().add(1, auth.apply(timeLimited(new SchemeRouter(tokens.build(), this::trustFor, this::withTls))));
        }
        this.client = timeLimited(new SchemeRouter(outer.build(), this::trustFor, this::withTls));
    }

    private Call.Factory timeLimited(Call.Factory calls) {
        return new TimeLimits(calls, options.idleLimit(), options.answerDeadline());
    }

    /**
     * The shared client: TLS, retries, trace, authentication and time limits. Requests tagged
     * {@link Transfer#BULK} are exempt from the whole-request deadline.
     */
    public Call.Factory client() {
        return client;
    }

    /** {@code plain} with TLS added: one trust set and the run's verification rule. */
    private OkHttpClient withTls(OkHttpClient plain, TrustConfig.Tls tls) {
        return plain.newBuilder()
                .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                .followSslRedirects(plain.followRedirects())
                .sslSocketFactory(tls.socketFactory(), tls.trustManager())
                .hostnameVerifier(trust().hostnameVerifier(plain.hostnameVerifier()))
                .build();
    }

    /** The TLS settings for requests made for {@code registry} (null: for none). */
    private TrustConfig.Tls trustFor(RequestFor registry) {
        return trust().forRegistry(registry);
    }

    /** The run's TLS set-up, made on the first HTTPS request. */
    private synchronized TrustConfig trust() {
        if (trust == null) {
            Set<String> insecure = new HashSet<>(options.insecureHosts().get());
            if (options.insecure()) {
                insecure.addAll(hosts);
            }
            trust = TrustConfig.forHosts(hosts, options.certsDirs(), insecure);
        }
        return trust;
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
            chosen = http(apiHost);
        } else if (Loopback.isLoopback(apiHost)) {
            // Loopback is never proxied, so the port can be asked directly, and cheaply.
            chosen = TlsSniff.speaksTls(https.host(), https.port(), Duration.ofSeconds(1)) ? https : http(apiHost);
        } else if (options.insecure() || options.insecureHosts().get().contains(apiHost)) {
            chosen = httpsWorks(https) ? https : http(apiHost);
        }
        baseUrls.putIfAbsent(apiHost, chosen);
        return baseUrls.get(apiHost);
    }

    private static HttpUrl http(String apiHost) {
        return HttpUrl.get("http://" + apiHost + "/");
    }

    /** Asked through the client, proxies and all: a remote host may only be reachable through one. */
    private boolean httpsWorks(HttpUrl https) throws IOException {
        Request ping = new Request.Builder().url(https.resolve("/v2/")).get().build();
        // A short read timeout and no retries: some plain-HTTP servers wait for a request line that
        // a TLS hello never sends, instead of answering 400, and would never answer a retry either.
        OkHttpClient.Builder pb = baseRouter.tls(ping).newBuilder().readTimeout(Duration.ofSeconds(5));
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

    /**
     * Refuses every new request but clean-up, cancels every request in flight and waits, at
     * most {@code limit}, until they have ended:
     * a stopped run must end its uploads before it asks the registry to drop their sessions,
     * or the registry, still writing, keeps what the cancel removed.
     */
    public void cancelAll(Duration limit) {
        gate.shut();
        base.dispatcher().cancelAll();
        long end = System.nanoTime() + limit.toNanos();
        while (base.dispatcher().runningCallsCount() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }
}
