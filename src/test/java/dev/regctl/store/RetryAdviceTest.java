package dev.regctl.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Whether a failure is worth another attempt is the failing layer's to say, read from the whole cause chain. */
class RetryAdviceTest {

    private static RegctlException wrapped(Throwable cause) {
        return new RegctlException(RegctlException.Kind.FAILURE, "copy a -> b: " + cause.getMessage(), null, cause);
    }

    @Test
    void aBrokenOrTimedOutExchangeMayPassButARefusedOrUnknownOrUntrustedHostWillNot() {
        assertTrue(RetryAdvice.of(wrapped(new SocketTimeoutException("timeout"))).mayPass());
        assertTrue(RetryAdvice.of(wrapped(new IOException("unexpected end of stream"))).mayPass());
        assertFalse(RetryAdvice.of(wrapped(new ConnectException("refused"))).mayPass());
        assertFalse(RetryAdvice.of(wrapped(new UnknownHostException("nowhere"))).mayPass());
        assertFalse(RetryAdvice.of(wrapped(new SSLHandshakeException("untrusted"))).mayPass());
        assertNull(RetryAdvice.of(wrapped(new SocketTimeoutException("timeout"))).retryAfter());
    }

    @Test
    void aSourceReadFailingInsideAWriteIsJudgedByWhatBrokeTheRead() {
        assertTrue(RetryAdvice.of(wrapped(new SourceReadException("read blob x from a", new SocketTimeoutException("timeout"))))
                .mayPass());
        assertFalse(RetryAdvice.of(wrapped(new SourceReadException("read blob x from a", new ConnectException("refused"))))
                .mayPass());
    }

    @Test
    void contentThatDidNotMatchOrADiskThatWillNotTakeItNeverPasses() {
        IOException reset = new IOException("connection reset");
        reset.initCause(new ContentMismatchException("digest mismatch"));
        assertFalse(RetryAdvice.of(wrapped(reset)).mayPass(), "a mismatch anywhere in the chain decides");
        assertFalse(RetryAdvice.of(LocalWriteException.of("oci:/x: storing blob", new AccessDeniedException("/x"))).mayPass());
        assertEquals(RetryAdvice.NEVER, RetryAdvice.of(new RegctlException(RegctlException.Kind.FAILURE, "no cause")));
    }
}
