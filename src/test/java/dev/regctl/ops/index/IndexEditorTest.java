package dev.regctl.ops.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.ManifestFormat;
import dev.regctl.oci.Platform;
import dev.regctl.ops.FakeRegistry;
import dev.regctl.ops.Images.Image;
import dev.regctl.ops.Images;
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

    /**
     * mcr.microsoft.com style: a windows/amd64 image per Windows Server build. {@code --platform}
     * names a build as copy and inspect take it (containerd's os.version prefix); the os alone
     * names every build, and {@code linux/arm} is arm/v7, not the v6 beside it.
     */
    @Test
    void removeTakesPlatformsAsCopyDoesWindowsBuildsIncluded() throws Exception {
        Path layout = dir.resolve("layout");
        List<String> platforms = List.of("windows(10.0.17763.5576)/amd64", "windows(10.0.20348.2340)/amd64",
                "linux/arm/v6", "linux/arm/v7");
        List<Image> images = new java.util.ArrayList<>();
        try (OciLayoutStore store = OciLayoutStore.create(layout)) {
            for (int i = 0; i < platforms.size(); i++) {
                images.add(Images.image(store, null, platforms.get(i), ImageParts.random(10, i)));
            }
            Images.index(store, "v1", dev.regctl.oci.MediaTypes.OCI_INDEX, images.toArray(Image[]::new));
        }
        ImageRef target = ImageRef.parse("oci:" + layout + ":v1");
        try (Session session = new Session(new Session.Options(dir.resolve("docker"), false, null, Map.of()), List.of());
             IndexEditor editor = new IndexEditor(session, 1)) {
            assertEquals(List.of(images.get(0).digest(), images.get(2).digest(), images.get(3).digest()),
                    left(editor.remove(target, List.of(Platform.parse("windows(10.0.20348)/amd64")), List.of())));
            assertEquals(List.of(images.get(2).digest(), images.get(3).digest()),
                    left(editor.remove(target, List.of(Platform.parse("windows/amd64")), List.of())));
            assertEquals(List.of(images.get(0).digest(), images.get(1).digest(), images.get(2).digest()),
                    left(editor.remove(target, List.of(Platform.parse("linux/arm")), List.of())));
            RegctlException none = assertThrows(RegctlException.class,
                    () -> editor.remove(target, List.of(Platform.parse("windows(10.0.26100)/amd64")), List.of()));
            assertEquals(RegctlException.Kind.NOT_FOUND, none.kind());
        }
    }

    private static List<Digest> left(IndexPlan plan) {
        return plan.entries().stream().map(e -> e.descriptor().digest()).toList();
    }

    private static void seed(FakeRegistry registry, String repository, String platform, long seed) {
        registry.serve(repository, "1", platform, ImageParts.random(1024, seed));
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
