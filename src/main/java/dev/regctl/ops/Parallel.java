package dev.regctl.ops;

import dev.regctl.RegctlException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Work run side by side. {@link #map} maps a list through a function on a bounded pool, keeping
 * the order of the results: the first failure to happen (not the first in list order) is thrown
 * at once, and the tasks still running are interrupted rather than left to finish work nobody
 * will use. {@link #started} runs one piece of work beside the caller's own.
 */
public final class Parallel {
    /** Threads for {@link #started}: made as needed, dropped when idle, never keeping the run alive. */
    private static final ExecutorService BESIDE = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "regctl-beside");
        t.setDaemon(true);
        return t;
    });

    private Parallel() {
    }

    public static <T, R> List<R> map(List<T> items, int threads, Function<T, R> f) {
        if (items.size() <= 1 || threads <= 1) {
            return items.stream().map(f).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), r -> {
            Thread t = new Thread(r, "regctl-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<R> done = new ExecutorCompletionService<>(pool);
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(done.submit(() -> f.apply(item)));
            }
            for (int i = 0; i < futures.size(); i++) {
                done.take().get(); // in completion order, so a failure surfaces as soon as it happens
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> fu : futures) {
                out.add(fu.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RegctlException(RegctlException.Kind.FAILURE, String.valueOf(e.getCause()), null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegctlException(RegctlException.Kind.FAILURE, "interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Starts {@code work} now, on a thread of its own, and returns what waits for its result: two
     * independent requests (one to each of two registries) cost one round trip instead of two.
     * {@code work}'s failure is thrown by {@code get()} as it was thrown.
     */
    public static <R> Supplier<R> started(Supplier<R> work) {
        CompletableFuture<R> result = CompletableFuture.supplyAsync(work, BESIDE);
        return () -> {
            try {
                return result.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new RegctlException(RegctlException.Kind.FAILURE, String.valueOf(e.getCause()), null, e.getCause());
            }
        };
    }
}
