package dev.regctl.cli;

import dev.regctl.ops.Durations;
import dev.regctl.ops.Session;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * How a run stopped before its end finishes: on Ctrl-C, SIGTERM or {@code --timeout}, the
 * registries are asked to drop the upload sessions still open, the user is told in one line
 * what was and was not tagged, and the process exits; layout temp files go with the JVM's
 * shutdown hooks. Blobs already moved stay, so a rerun resumes where this one stopped.
 */
final class EarlyExit {
    /** 128 + SIGINT, what shells report for Ctrl-C; used for SIGTERM too, as both mean "stopped by the user". */
    static final int INTERRUPTED = 130;
    /** How long a stopped run waits for registries to drop its upload sessions. */
    private static final Duration CANCEL_LIMIT = Duration.ofSeconds(3);

    private static final Set<Session> SESSIONS = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final AtomicInteger TAGGED = new AtomicInteger();
    private static final AtomicBoolean COPYING = new AtomicBoolean();
    private static final AtomicBoolean EXITING = new AtomicBoolean();
    private static volatile PrintWriter err = new PrintWriter(System.err, true);
    private static volatile Thread deadline;

    private EarlyExit() {
    }

    /** Handles Ctrl-C and SIGTERM for the process; only the real entry point calls this, not tests. */
    static void onSignals(PrintWriter stderr) {
        err = stderr;
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), s -> stop("interrupted", INTERRUPTED));
            } catch (IllegalArgumentException e) {
                // The JVM reserves the signal (e.g. -Xrs): its default handling still ends the run.
            }
        }
    }

    /** Sessions whose open uploads are cancelled if the run is stopped. */
    static void watch(Session session) {
        SESSIONS.add(session);
    }

    /**
     * A copy is under way, from its planning on: stopping it now may leave blobs behind, and the
     * user should hear what was tagged and that a rerun resumes.
     */
    static void copying() {
        COPYING.set(true);
    }

    /** Counts tags written, so that the message on stopping can say whether anything was tagged. */
    static void tagged(int count) {
        TAGGED.addAndGet(count);
    }

    /** Stops the run once {@code limit} has passed ({@code --timeout}); the first call of a run counts. */
    static synchronized void deadline(Duration limit) {
        if (deadline != null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            stop("timed out after " + Durations.format(limit) + " (--timeout)", ExitCodes.FAILURE);
        }, "regctl-deadline");
        t.setDaemon(true);
        t.start();
        deadline = t;
    }

    /** The run ended by itself: no deadline may stop what comes after it (tests run many in one JVM). */
    static synchronized void finished() {
        if (EXITING.get()) {
            return; // the stop in progress owns what is left
        }
        if (deadline != null) {
            deadline.interrupt();
            deadline = null;
        }
        SESSIONS.clear();
        TAGGED.set(0);
        COPYING.set(false);
    }

    /** True once a stop has begun: failures it causes in the command's own thread are not news. */
    static boolean stopping() {
        return EXITING.get();
    }

    /**
     * Returns at once unless a stop has begun; then waits for it, since it ends the process with
     * its own line and exit code once the registries have been asked to drop the uploads.
     */
    static void awaitStop() {
        while (EXITING.get()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The line printed when a run is stopped: for a copy, what it left behind and what to do about it. */
    static String message(String why, boolean copying, int tagged) {
        if (!copying) {
            return "regctl: " + why;
        }
        return "regctl: " + why + ": " + (tagged == 0 ? "nothing was tagged"
                : tagged + (tagged == 1 ? " tag was" : " tags were") + " written before that") + "; rerun to resume";
    }

    private static void stop(String why, int exitCode) {
        if (!EXITING.compareAndSet(false, true)) {
            return;
        }
        // Taken now: the command's own thread may end, and reset them, while the uploads are cancelled.
        String line = message(why, COPYING.get(), TAGGED.get());
        List<Session> open;
        synchronized (SESSIONS) {
            open = new ArrayList<>(SESSIONS);
        }
        for (Session s : open) {
            s.abort(CANCEL_LIMIT);
        }
        err.println(line);
        err.flush();
        System.exit(exitCode);
    }
}
