package dev.regctl.http;

import java.util.function.UnaryOperator;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Sends plain-HTTP requests on a cleartext client and HTTPS ones on its TLS variant, which is
 * made on the first HTTPS request: a run that only talks plain HTTP never sets up TLS. Both
 * share one connection pool and dispatcher.
 */
final class SchemeRouter implements Call.Factory {
    private final OkHttpClient plain;
    private final UnaryOperator<OkHttpClient> addTls;
    private volatile OkHttpClient tls;

    SchemeRouter(OkHttpClient plain, UnaryOperator<OkHttpClient> addTls) {
        this.plain = plain;
        this.addTls = addTls;
    }

    @Override
    public Call newCall(Request request) {
        return (request.url().isHttps() ? tls() : plain).newCall(request);
    }

    /** The TLS variant, made on first use. */
    OkHttpClient tls() {
        OkHttpClient c = tls;
        if (c == null) {
            synchronized (this) {
                c = tls;
                if (c == null) {
                    c = addTls.apply(plain);
                    tls = c;
                }
            }
        }
        return c;
    }
}
