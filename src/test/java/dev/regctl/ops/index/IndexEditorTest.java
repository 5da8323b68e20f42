package dev.regctl.ops.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.oci.ImageRef;
import dev.regctl.oci.ManifestFormat;
import dev.regctl.ops.FakeRegistry;
import dev.regctl.ops.Images.Image;
import dev.regctl.ops.Images;
import dev.regctl.ops.MemoryStore;
import dev.regctl.ops.Session;
import dev.regctl.store.ocidir.OciLayoutStore;
import dev.regctl.testing.ImageParts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code index create}'s children go through the copy engine side by side, not one after another. */
class IndexEditorTest {
    private static final int CHILDREN = 3;

    @TempDir
    Path dir;

    /** -j as big as every blob of every child, so that no transfer waits for a slot another holds. */
    @Test
    void theChildrenAreCopiedSideBySide() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        Meeting meeting = new Meeting(registry, CHILDREN);
        List<String> platforms = List.of("linux/amd64", "linux/arm64", "linux/s390x");
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(meeting);
            server.start();
            String host = server.getHostName() + ":" + server.getPort();
            List<ImageRef> sources = new java.util.ArrayList<>();
            for (int i = 0; i < CHILDREN; i++) {
                String repository = "child" + i;
                seed(registry, repository, platforms.get(i), i);
                sources.add(ImageRef.parse(host + "/" + repository + ":1"));
            }
            ImageRef target = ImageRef.parse("oci:" + dir.resolve("out") + ":v1");
            try (Session session = new Session(new Session.Options(dir.resolve("docker"), false, null, Map.of()), List.of());
                 IndexEditor editor = new IndexEditor(session, 2 * CHILDREN)) {
                IndexPlan plan = editor.create(target, sources, List.of(), Map.of(), ManifestFormat.OCI);
                meeting.open();
                IndexResult result = editor.execute(plan);
                assertEquals(CHILDREN * 2, result.blobs().uploaded(), "each child's config and layer");
            }
        }
        assertTrue(meeting.allMet(), "a child's blobs were asked for only once another child's copy had ended");
        try (OciLayoutStore out = OciLayoutStore.open(dir.resolve("out"))) {
            assertEquals(CHILDREN, out.fetchManifest("v1").index().manifests().size());
        }
    }

    private static void seed(FakeRegistry registry, String repository, String platform, long seed) {
        MemoryStore scratch = new MemoryStore("scratch");
        Image built = Images.image(scratch, null, platform, ImageParts.random(1024, seed));
        built.blobs().forEach(b -> registry.putBlob(repository, b.digest(), scratch.blob(b.digest())));
        registry.putManifest(repository, built.manifest(), "1");
    }

    /**
     * Holds each blob GET until every child's copy has asked for one, at most a few seconds: copies
     * that run one after another never all meet, and the test says so instead of hanging.
     */
    private static final class Meeting extends Dispatcher {
        private final Dispatcher registry;
        private final CountDownLatch everyone;
        private final Set<String> arrived = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean missed = new AtomicBoolean();
        private volatile boolean open;

        Meeting(Dispatcher registry, int children) {
            this.registry = registry;
            this.everyone = new CountDownLatch(children);
        }

        /** From now on blob GETs wait: not while the plan reads each child's config. */
        void open() {
            open = true;
        }

        boolean allMet() {
            return open && !missed.get() && everyone.getCount() == 0;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            String path = request.getPath() == null ? "" : request.getPath();
            if (open && request.getMethod().equals("GET") && path.matches("/v2/[^/]+/blobs/.*")) {
                if (arrived.add(path.split("/")[2])) {
                    everyone.countDown();
                }
                if (!everyone.await(5, TimeUnit.SECONDS)) {
                    missed.set(true);
                }
            }
            return registry.dispatch(request);
        }
    }
}
