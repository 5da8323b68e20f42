package dev.regctl.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Sends plain-HTTP requests on a cleartext client and HTTPS ones on a TLS variant of it for the
 * registry the request is made for ({@link RequestFor}), each made on first use: a run that only
 * talks plain HTTP never sets up TLS. All share one connection pool and dispatcher; OkHttp keeps
 * connections of different trust apart, since its socket factory is part of what a pooled
 * connection is reused for. Redirects OkHttp follows stay on the client, and so in its trust.
 */
final class SchemeRouter implements Call.Factory {
    private final OkHttpClient plain;
    private final Function<RequestFor, TrustConfig.Tls> trustFor;
    private final BiFunction<OkHttpClient, TrustConfig.Tls, OkHttpClient> addTls;
    private final Map<TrustConfig.Tls, OkHttpClient> tls = new ConcurrentHashMap<>();

    /**
     * @param trustFor the TLS settings of requests made for a registry (null: for none), asked on
     *     the first HTTPS request
     */
    SchemeRouter(OkHttpClient plain, Function<RequestFor, TrustConfig.Tls> trustFor,
            BiFunction<OkHttpClient, TrustConfig.Tls, OkHttpClient> addTls) {
        this.plain = plain;
        this.trustFor = trustFor;
        this.addTls = addTls;
    }

    @Override
    public Call newCall(Request request) {
        return (request.url().isHttps() ? tls(request) : plain).newCall(request);
    }

    /** The TLS client for the registry {@code request} is made for, made on first use. */
    OkHttpClient tls(Request request) {
        TrustConfig.Tls trust = trustFor.apply(request.tag(RequestFor.class));
        return tls.computeIfAbsent(trust, t -> addTls.apply(plain, t));
    }
}
