package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regctl.oci.Digest;
import dev.regctl.ops.Images.Image;
import dev.regctl.ops.Images;
import dev.regctl.ops.MemoryStore;
import dev.regctl.testing.ImageParts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Copies that share a {@link BlobLedger} (a sync's images): a blob goes up once per target
 * repository, and into the other repositories of the registry by mount where it is allowed.
 */
class SharedCopiesTest {
    private static final CopyOptions OPTIONS = new CopyOptions(List.of(), false, false, 4);
    private final BlobLedger ledger = new BlobLedger();
    private final TransferSlots slots = new TransferSlots(4);
    private final MemoryStore source = new MemoryStore("src");
    private final byte[] shared = ImageParts.random(2048, 1);

    private CopyResult copy(String tag, MemoryStore target, String repository, CopyPlan plan) {
        return new Copier(source, target, null, OPTIONS).sharing(ledger.target("r.example", repository), slots)
                .execute(plan, CopyListener.NONE);
    }

    private CopyPlan plan(String tag, MemoryStore target) {
        return new Copier(source, target, null, OPTIONS).planToRun(CopyRequest.parse("src.example/app:" + tag,
                "r.example/x:" + tag, false));
    }

    @Test
    void aLayerTwoImagesShareInOneRepositoryGoesUpOnceEvenWhenBothPlannedToUploadIt() {
        Image v1 = Images.image(source, "v1", "linux/amd64", shared, ImageParts.random(100, 2));
        Images.image(source, "v2", "linux/amd64", shared, ImageParts.random(100, 3));
        MemoryStore target = new MemoryStore("dst");
        CopyPlan first = plan("v1", target);
        CopyPlan second = plan("v2", target); // planned before the first ran: it too would upload the layer
        copy("v1", target, "one", first);
        CopyResult r = copy("v2", target, "one", second);

        Digest layer = v1.blobs().get(1).digest();
        assertEquals(List.of("putBlob " + layer), target.calls("putBlob " + layer));
        assertEquals(new CopyResult.Blobs(1, 0, 2), r.blobs(), "its own layer up; the shared layer and config found");
    }

    @Test
    void anotherRepositoryMountsWhatTheFirstUploadedAndUploadsWhereTheMountIsRefused() {
        Image v1 = Images.image(source, "v1", "linux/amd64", shared);
        MemoryStore one = new MemoryStore("one");
        MemoryStore two = new MemoryStore("two").mountsFrom(one);
        MemoryStore three = new MemoryStore("three"); // a registry that declines the mount
        copy("v1", one, "one", plan("v1", one));
        CopyResult mounted = copy("v1", two, "two", plan("v1", two));
        CopyResult refused = copy("v1", three, "three", plan("v1", three));

        Digest layer = v1.blobs().get(1).digest();
        assertEquals(List.of("mountBlob " + layer + " one"), two.calls("mountBlob " + layer));
        assertEquals(List.of(), two.calls("putBlob"));
        assertEquals(new CopyResult.Blobs(0, 2, 0), mounted.blobs());
        assertEquals(List.of("putBlob " + layer), three.calls("putBlob " + layer));
        assertEquals(new CopyResult.Blobs(2, 0, 0), refused.blobs());
    }
}
