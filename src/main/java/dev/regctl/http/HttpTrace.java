package dev.regctl.http;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The {@code --verbose} trace: one line per request and response plus headers, written as the
 * request goes on the wire. Bodies are never printed; headers whose names look secret
 * ({@link SecretText#isSecretName}: {@code X-Auth-Token}, {@code Private-Token}, {@code Cookie}...)
 * are replaced whole, and every other header ({@code Location}, {@code Link}...), URL and error
 * line goes through {@link SecretText}, because a hostile or careless server can echo a
 * credential anywhere.
 */
final class HttpTrace implements Interceptor {
    private final PrintWriter out;

    public HttpTrace(PrintWriter out) {
        this.out = out;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        long start = System.nanoTime();
        synchronized (out) {
            out.println("> " + request.method() + " " + redactUrl(request.url().toString()));
            printHeaders("> ", request.headers());
            out.flush();
        }
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            synchronized (out) {
                out.println("! " + request.method() + " " + redactUrl(request.url().toString()) + " failed: " + SecretText.redact(e.toString()));
                out.flush();
            }
            throw e;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        synchronized (out) {
            out.println("< " + response.code() + " " + response.message() + " (" + ms + " ms) "
                    + redactUrl(request.url().toString()));
            printHeaders("< ", response.headers());
            out.flush();
        }
        return response;
    }

    private void printHeaders(String prefix, Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            out.println(prefix + name + ": " + redactHeader(name, headers.value(i)));
        }
    }

    /** A header value safe to print. */
    static String redactHeader(String name, String value) {
        if (!SecretText.isSecretName(name)) {
            return redactUrl(value);
        }
        int space = value.indexOf(' ');
        // Keep the scheme ("Bearer", "Basic") because it is what one debugs; never the credential.
        return (space > 0 && name.toLowerCase(Locale.ROOT).contains("authorization")
                ? value.substring(0, space) + " " : "") + SecretText.MASK;
    }

    /** A URL safe to print: query values that can carry secrets and any user-info are replaced. */
    static String redactUrl(String url) {
        return SecretText.redact(url);
    }
}
