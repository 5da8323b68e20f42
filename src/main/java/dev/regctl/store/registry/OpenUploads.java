package dev.regctl.store.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;

/**
 * The blob upload sessions a run has open on registries, so that a run stopped half way (Ctrl-C,
 * SIGTERM, {@code --timeout}) can ask the registries to drop them instead of leaving them to
 * hold space until the registry's own clean-up.
 */
public final class OpenUploads {

    /** Who can cancel a session: the client of its registry, with the repository for the token's scope. */
    private record Owner(RegistryClient client, String repository) {
    }

    private final Map<HttpUrl, Owner> open = new ConcurrentHashMap<>();
    /** DELETEs sent by the uploads themselves (their own failure), not yet answered. */
    private final Set<CountDownLatch> dropping = ConcurrentHashMap.newKeySet();

    /** A session was opened at {@code session}: tracked from the moment its URL is known. */
    void opened(RegistryClient client, String repository, HttpUrl session) {
        open.put(session, new Owner(client, repository));
    }

    /** A chunk's answer named the session's next URL. */
    void moved(HttpUrl from, HttpUrl to) {
        Owner owner = open.remove(from);
        if (owner != null) {
            open.put(to, owner);
        }
    }

    /** The session is finished: nothing is left to drop. */
    void closed(HttpUrl session) {
        open.remove(session);
    }

    /**
     * Drops a session its upload gave up on, by running {@code delete}, unless a stop (or an
     * earlier call) has taken it already. A stop under way waits for this {@code delete} to be
     * answered: a failing upload and a stop race for the same session, and the run must not
     * exit between the upload taking it and its DELETE reaching the registry.
     */
    void drop(HttpUrl session, Runnable delete) {
        CountDownLatch answered = new CountDownLatch(1);
        synchronized (this) {
            if (open.remove(session) == null) {
                return;
            }
            dropping.add(answered);
        }
        try {
            delete.run();
        } finally {
            answered.countDown();
            dropping.remove(answered);
        }
    }

    /**
     * Sends {@code DELETE} for every session still open, all at once, and waits at most
     * {@code limit} for the answers to those and to the DELETEs uploads sent themselves: a
     * stopped run must not hang on a registry that stopped too.
     *
     * @return how many sessions were open
     */
    public int cancelAll(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        List<Map.Entry<HttpUrl, Owner>> pending;
        List<CountDownLatch> alreadyDropping;
        synchronized (this) {
            pending = new ArrayList<>(open.entrySet());
            open.clear();
            alreadyDropping = new ArrayList<>(dropping);
        }
        CountDownLatch done = new CountDownLatch(pending.size());
        for (Map.Entry<HttpUrl, Owner> session : pending) {
            Thread t = new Thread(() -> {
                try {
                    BlobsEndpoint.delete(session.getValue().client(), session.getValue().repository(), session.getKey());
                } finally {
                    done.countDown();
                }
            }, "regctl-cancel-upload");
            t.setDaemon(true);
            t.start();
        }
        try {
            done.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (CountDownLatch answered : alreadyDropping) {
                answered.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pending.size() + alreadyDropping.size();
    }
}
