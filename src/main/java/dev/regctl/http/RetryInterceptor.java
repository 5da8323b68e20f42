package dev.regctl.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Retries requests that are safe to send again (no body, or a body that can be replayed) on
 * connection failures, 429 and 5xx, per {@link RetryPolicy}; a timeout only once. One-shot
 * streamed uploads are not retried here: the upload code restarts their whole session instead.
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
        boolean timedOut = false;
        for (int attempt = 1; ; attempt++) {
            boolean last = !replayable || attempt >= policy.maxAttempts();
            Response response;
            try {
                response = chain.proceed(request);
            } catch (IOException e) {
                // A server silent once may have lost one connection; silent twice, it is hanging,
                // and each further attempt would only add another idle limit to the wait.
                // A cancelled call (its deadline passed) fails the same way every time.
                if (last || !RetryPolicy.isTransient(e) || chain.call().isCanceled()
                        || (e instanceof SocketTimeoutException && timedOut)) {
                    throw e;
                }
                timedOut |= e instanceof SocketTimeoutException;
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
