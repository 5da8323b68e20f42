package dev.regctl.cli;

import java.time.Duration;

/** A ticker driven by the test: a tick happens when the test says, never on the machine's schedule. */
final class HandTicker implements Ticker, Ticker.Start {
    Duration interval;
    boolean stopped;
    private Runnable task;

    @Override
    public Ticker every(Duration every, Runnable run) {
        this.interval = every;
        this.task = run;
        return this;
    }

    /** One run of the task, as the interval's end would bring it. */
    void tick() {
        task.run();
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void stopAndWait() {
        stop();
    }
}
