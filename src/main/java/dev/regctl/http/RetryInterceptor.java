package dev.regctl.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Retries requests that are safe to send again (no body, or a body that can be replayed) on
 * connection failures, 429 and 5xx, per {@link RetryPolicy}. One-shot streamed uploads are not
 * retried here: the upload code restarts their whole session instead.
 */
public final class RetryInterceptor implements Interceptor {

    /** Waits; replaced in tests so backoff is asserted without sleeping. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final RetryPolicy policy;
    private final Sleeper sleeper;

    public RetryInterceptor(RetryPolicy policy, Sleeper sleeper) {
        this.policy = policy;
        this.sleeper = sleeper;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        boolean replayable = request.body() == null || !request.body().isOneShot();
        for (int attempt = 1; ; attempt++) {
            boolean last = !replayable || attempt >= policy.maxAttempts();
            Response response;
            try {
                response = chain.proceed(request);
            } catch (IOException e) {
                if (last || !RetryPolicy.isTransient(e)) {
                    throw e;
                }
                pause(policy.backoff(attempt, null));
                continue;
            }
            if (last || !policy.retryable(response.code())) {
                return response;
            }
            String retryAfter = response.header("Retry-After");
            response.close();
            pause(policy.backoff(attempt, retryAfter));
        }
    }

    private void pause(Duration d) throws IOException {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
