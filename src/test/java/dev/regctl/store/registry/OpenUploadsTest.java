package dev.regctl.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** A failing upload and a stop race for the same session: one DELETE, and the stop waits for it. */
class OpenUploadsTest {
    private static final HttpUrl SESSION = HttpUrl.get("http://127.0.0.1:5000/v2/app/blobs/uploads/u1");

    @Test
    void aStopWaitsForTheDeleteAnUploadIsSendingItself() throws Exception {
        OpenUploads uploads = new OpenUploads();
        uploads.opened(null, "app", SESSION);
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger deletes = new AtomicInteger();
        Thread upload = new Thread(() -> uploads.drop(SESSION, () -> {
            deletes.incrementAndGet();
            sending.countDown();
            try {
                answer.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        upload.start();
        assertTrue(sending.await(5, TimeUnit.SECONDS));

        Thread answering = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer.countDown();
        });
        answering.start();
        // Before the fix the stop found no open session and returned at once, and the run exited
        // before the upload's DELETE reached the registry.
        assertEquals(1, uploads.cancelAll(Duration.ofSeconds(5)));
        assertEquals(0, answer.getCount(), "cancelAll returned before the DELETE was answered");
        upload.join();
        assertEquals(1, deletes.get());
    }

    @Test
    void aSessionTheStopTookIsNotDroppedTwice() {
        OpenUploads uploads = new OpenUploads();
        AtomicInteger deletes = new AtomicInteger();
        uploads.drop(SESSION, deletes::incrementAndGet);
        assertEquals(0, deletes.get(), "an untracked session (closed, or taken by a stop) has nothing to drop");
        assertEquals(0, uploads.cancelAll(Duration.ofMillis(10)));
    }
}
