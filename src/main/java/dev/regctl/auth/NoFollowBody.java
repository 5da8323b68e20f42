package dev.regctl.auth;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A request body carrying a secret that OkHttp never sends on by itself. OkHttp follows a 307 or
 * 308 with the same body to wherever {@code Location} points, any origin, dropping only
 * {@code Authorization}; it does not when the body is one-shot. This body becomes one-shot once
 * written, so the redirect is returned to the caller instead, while a retry of the whole request
 * (which asks {@link #isOneShot()} before the first attempt) still sends it again to the same URL.
 */
final class NoFollowBody extends RequestBody {
    private final RequestBody body;
    private volatile boolean written;

    NoFollowBody(RequestBody body) {
        this.body = body;
    }

    @Override
    public MediaType contentType() {
        return body.contentType();
    }

    @Override
    public long contentLength() throws IOException {
        return body.contentLength();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        written = true; // before writing: a server may answer before it has read the body
        body.writeTo(sink);
    }

    @Override
    public boolean isOneShot() {
        return written;
    }
}
