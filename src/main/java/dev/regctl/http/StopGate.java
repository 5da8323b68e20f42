package dev.regctl.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Once a run is stopping, refuses every request but clean-up ({@link Transfer#CLEANUP}). A call
 * the stop cancelled fails like a dropped connection, which the copy would otherwise retry
 * with a fresh upload session that nobody is left to drop.
 */
final class StopGate implements Interceptor {

    private volatile boolean stopping;

    void shut() {
        stopping = true;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if (stopping && chain.request().tag(Transfer.class) != Transfer.CLEANUP) {
            // Not transient (RetryPolicy): neither the HTTP layer nor the copy tries again.
            throw new InterruptedIOException("the run is stopping");
        }
        return chain.proceed(chain.request());
    }
}
