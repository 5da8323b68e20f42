package dev.regctl.cli;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task every interval on a daemon thread (progress lines), until stopped; a run never keeps the JVM alive. */
interface Ticker {

    /** How a display starts its ticker: {@link #every} in a run; a test ticks by hand, whatever the machine's load. */
    @FunctionalInterface
    interface Start {
        Ticker every(Duration interval, Runnable task);
    }

    /** No further runs; one under way may still finish. */
    void stop();

    /** As {@link #stop}, then waits (a second at most) for a run under way, so nothing is drawn after. */
    void stopAndWait();

    /** Starts {@code task}, first after one {@code interval}. */
    static Ticker every(Duration interval, Runnable task) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "regctl-progress");
            t.setDaemon(true);
            return t;
        });
        long every = interval.toMillis();
        timer.scheduleAtFixedRate(task, every, every, TimeUnit.MILLISECONDS);
        return new Ticker() {
            @Override
            public void stop() {
                timer.shutdownNow();
            }

            @Override
            public void stopAndWait() {
                stop();
                try {
                    timer.awaitTermination(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
