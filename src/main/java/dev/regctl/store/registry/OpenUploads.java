package dev.regctl.store.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** One session; its URL moves as each chunk's answer names the next one. */
    final class Upload implements AutoCloseable {
        private final RegistryClient client;
        private final String repository;
        private volatile HttpUrl location;

        private Upload(RegistryClient client, String repository, HttpUrl location) {
            this.client = client;
            this.repository = repository;
            this.location = location;
        }

        void movedTo(HttpUrl next) {
            location = next;
        }

        /** The session is finished or cancelled: nothing is left to drop. */
        @Override
        public void close() {
            open.remove(this);
        }
    }

    private final Set<Upload> open = ConcurrentHashMap.newKeySet();

    Upload opened(RegistryClient client, String repository, HttpUrl location) {
        Upload u = new Upload(client, repository, location);
        open.add(u);
        return u;
    }

    /**
     * Sends {@code DELETE} for every session still open, all at once, and waits at most
     * {@code limit} for the answers: a stopped run must not hang on a registry that stopped too.
     *
     * @return how many sessions were open
     */
    public int cancelAll(Duration limit) {
        List<Upload> pending = new ArrayList<>(open);
        open.clear();
        CountDownLatch done = new CountDownLatch(pending.size());
        for (Upload u : pending) {
            Thread t = new Thread(() -> {
                try {
                    BlobsEndpoint.cancel(u.client, u.repository, u.location);
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
