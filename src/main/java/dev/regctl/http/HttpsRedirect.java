package dev.regctl.http;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Follows a GET or HEAD that a plain-HTTP registry redirects to HTTPS (blob downloads sent to
 * S3, a CDN, or the registry's own TLS port) on the TLS client: the cleartext client cannot make
 * that connection, and a client that could would set up TLS for every run. Like OkHttp's own
 * redirects across schemes, the request goes on without its {@code Authorization}, and on the
 * TLS client of the registry it is made for, whose trust it keeps.
 */
final class HttpsRedirect implements Interceptor {
    private final Function<Request, OkHttpClient> tls;

    /** @param tls the TLS client without authentication for a request, made when first needed */
    HttpsRedirect(Function<Request, OkHttpClient> tls) {
        this.tls = tls;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Response response = chain.proceed(request);
        String location = response.header("Location");
        boolean followable = request.method().equals("GET") || request.method().equals("HEAD");
        if (!response.isRedirect() || location == null || !followable || request.url().isHttps()) {
            return response;
        }
        HttpUrl target = response.request().url().resolve(location);
        if (target == null || !target.isHttps()) {
            return response;
        }
        response.close();
        Request redirected = request.newBuilder().url(target).removeHeader("Authorization").build();
        Call followed = tls.apply(redirected).newCall(redirected);
        // This call's deadline (none for bulk transfers) goes on with the request.
        followed.timeout().timeout(chain.call().timeout().timeoutNanos(), TimeUnit.NANOSECONDS);
        return followed.execute();
    }
}
