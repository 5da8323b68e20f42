package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.store.RetryAdvice;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A registry's answer judges itself: whether another attempt may pass is read from its status. */
class RegistryRetryAdviceTest {

    private static RegctlException wrapped(Throwable cause) {
        return new RegctlException(RegctlException.Kind.FAILURE, "copy a -> b: " + cause.getMessage(), null, cause);
    }

    @Test
    void aBusyOrFailingRegistryMayPassAndSaysHowLongToWait() {
        RetryAdvice busy = RetryAdvice.of(wrapped(new RegistryException(503, null, "busy", null, Duration.ofSeconds(7))));
        assertTrue(busy.mayPass());
        assertEquals(Duration.ofSeconds(7), busy.retryAfter());
        assertFalse(busy.tooManyRequests());

        RetryAdvice limited = RetryAdvice.of(wrapped(new RegistryException(429, "TOOMANYREQUESTS", "slow down", null)));
        assertTrue(limited.mayPass());
        assertTrue(limited.tooManyRequests(), "a spent pull limit is told apart, for sync's budget");
    }

    @Test
    void anyOtherRegistryAnswerIsFinal() {
        for (int status : new int[] {400, 401, 403, 404, 405}) {
            RetryAdvice advice = RetryAdvice.of(new RegistryException(status, null, "no", null));
            assertFalse(advice.mayPass(), "status " + status);
            assertFalse(advice.tooManyRequests());
        }
    }
}
