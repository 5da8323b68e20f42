package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void resultsKeepTheOrderOfTheItems() {
        List<Integer> items = IntStream.range(0, 50).boxed().toList();
        assertEquals(items.stream().map(i -> i * 2).toList(), Parallel.map(items, 4, i -> {
            sleep(50 - i); // later items finish first
            return i * 2;
        }));
    }

    @Test
    void theFirstFailureInTimeIsThrownWithoutWaitingForSlowerItems() {
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();
        RegctlException e = assertThrows(RegctlException.class, () -> Parallel.map(List.of(0, 1), 2, i -> {
            if (i == 0) {
                try {
                    never.await(30, TimeUnit.SECONDS); // the first item hangs; it must not hold the failure back
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, "item 1 is missing");
        }));
        assertEquals("item 1 is missing", e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "waited for the hanging item");
    }

    @Test
    void workStartedBesideRunsWhileTheCallerWorks() throws Exception {
        CountDownLatch callerWorking = new CountDownLatch(1);
        // The work can only finish once the caller, still working, lets it: it must run beside it.
        java.util.function.Supplier<String> beside = Parallel.started(() -> {
            try {
                return callerWorking.await(5, TimeUnit.SECONDS) ? "done" : "not concurrent";
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        callerWorking.countDown();
        assertEquals("done", beside.get());
    }

    @Test
    void aFailureBesideIsThrownAsItWasThrown() {
        RegctlException thrown = new RegctlException(RegctlException.Kind.NOT_FOUND, "no such tag");
        java.util.function.Supplier<String> beside = Parallel.started(() -> {
            throw thrown;
        });
        assertEquals(thrown, assertThrows(RegctlException.class, beside::get));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
