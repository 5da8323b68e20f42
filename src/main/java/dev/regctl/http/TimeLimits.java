package dev.regctl.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Timeout;

/**
 * Gives every call but {@link Transfer#BULK} ones a deadline for the whole exchange, body
 * included, so a server that drips its answer cannot hold a run; and turns both that deadline and
 * the idle limit (the clients' read and write timeouts) into errors that say which host stalled
 * for how long.
 */
final class TimeLimits implements Call.Factory {
    private final Call.Factory calls;
    private final Duration idle;
    private final Duration deadline;

    /**
     * @param idle the read/write timeout the clients behind {@code calls} were given
     * @param deadline the whole-exchange limit for calls that are not bulk transfers
     */
    TimeLimits(Call.Factory calls, Duration idle, Duration deadline) {
        this.calls = calls;
        this.idle = idle;
        this.deadline = deadline;
    }

    @Override
    public Call newCall(Request request) {
        Call call = calls.newCall(request);
        boolean bulk = request.tag(Transfer.class) == Transfer.BULK;
        if (!bulk) {
            // The call's own timeout spans retries, redirects and reading the body to its end.
            call.timeout().timeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
        }
        return new TimedCall(call, bulk);
    }

    /** Time in whole seconds where it is one, as people write it. */
    private static String show(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String hostOf(Request request) {
        HttpUrl url = request.url();
        String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        return host + ":" + url.port();
    }

    /** A call whose failures name the host and the limit that ended them. */
    private final class TimedCall implements Call {
        private final Call call;
        private final boolean bulk;
        private volatile long started;

        TimedCall(Call call, boolean bulk) {
            this.call = call;
            this.bulk = bulk;
        }

        @Override
        public Response execute() throws IOException {
            started = System.nanoTime();
            Response response;
            try {
                response = call.execute();
            } catch (IOException e) {
                throw explain(e);
            }
            return withBody(response);
        }

        @Override
        public void enqueue(Callback callback) {
            started = System.nanoTime();
            call.enqueue(new Callback() {
                @Override
                public void onFailure(Call c, IOException e) {
                    callback.onFailure(TimedCall.this, explain(e));
                }

                @Override
                public void onResponse(Call c, Response response) throws IOException {
                    callback.onResponse(TimedCall.this, withBody(response));
                }
            });
        }

        private Response withBody(Response response) {
            ResponseBody body = response.body();
            return body == null ? response : response.newBuilder().body(new TimedBody(body, this)).build();
        }

        /** {@code e} with a message naming the limit it hit, or {@code e} itself if it hit none. */
        IOException explain(IOException e) {
            String host = hostOf(call.request());
            boolean pastDeadline = !bulk && System.nanoTime() - started >= deadline.toNanos();
            if (pastDeadline && call.isCanceled()) {
                // Not a SocketTimeoutException: another attempt would wait as long again.
                InterruptedIOException late = new InterruptedIOException(
                        "no answer from " + host + " within " + show(deadline));
                late.initCause(e);
                return late;
            }
            String why = String.valueOf(e.getMessage());
            if (e instanceof SocketTimeoutException && !why.toLowerCase(java.util.Locale.ROOT).contains("connect")) {
                SocketTimeoutException silent = new SocketTimeoutException(
                        host + " sent nothing for " + show(idle));
                silent.initCause(e);
                return silent;
            }
            return e;
        }

        @Override
        public Request request() {
            return call.request();
        }

        @Override
        public void cancel() {
            call.cancel();
        }

        @Override
        public boolean isExecuted() {
            return call.isExecuted();
        }

        @Override
        public boolean isCanceled() {
            return call.isCanceled();
        }

        @Override
        public Timeout timeout() {
            return call.timeout();
        }

        @Override
        public Call clone() {
            return newCall(call.request());
        }
    }

    /** A body whose read failures are explained as the call's are. */
    private static final class TimedBody extends ResponseBody {
        private final ResponseBody body;
        private final BufferedSource source;

        TimedBody(ResponseBody body, TimedCall call) {
            this.body = body;
            this.source = Okio.buffer(new ForwardingSource(body.source()) {
                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                    try {
                        return super.read(sink, byteCount);
                    } catch (IOException e) {
                        throw call.explain(e);
                    }
                }
            });
        }

        @Override
        public MediaType contentType() {
            return body.contentType();
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public BufferedSource source() {
            return source;
        }
    }
}
