package dev.regctl.store.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** The session is finished or cancelled: nothing is left to drop. */
    void closed(HttpUrl session) {
        open.remove(session);
    }

    /**
     * Sends {@code DELETE} for every session still open, all at once, and waits at most
     * {@code limit} for the answers: a stopped run must not hang on a registry that stopped too.
     *
     * @return how many sessions were open
     */
    public int cancelAll(Duration limit) {
        List<Map.Entry<HttpUrl, Owner>> pending = new ArrayList<>(open.entrySet());
        open.clear();
        CountDownLatch done = new CountDownLatch(pending.size());
        for (Map.Entry<HttpUrl, Owner> session : pending) {
            Thread t = new Thread(() -> {
                try {
                    BlobsEndpoint.cancel(session.getValue().client(), session.getValue().repository(), session.getKey());
                } finally {
                    done.countDown();
                }
            }, "regctl-cancel-upload");
            t.setDaemon(true);
            t.start();
        }
        try {
            done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pending.size();
    }
}
