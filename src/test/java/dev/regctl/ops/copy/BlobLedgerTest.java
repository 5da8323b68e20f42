package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.regctl.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Who moves a blob several copies of a sync need, and what the others do meanwhile. */
class BlobLedgerTest {
    private static final Digest LAYER = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));

    private final BlobLedger ledger = new BlobLedger();

    /** Claims on another thread, returning once that thread waits in the claim (or has its answer). */
    private static CompletableFuture<BlobLedger.Claim> claimElsewhere(BlobLedger.Target target) {
        CompletableFuture<BlobLedger.Claim> claim = new CompletableFuture<>();
        Thread t = new Thread(() -> claim.complete(target.claim(LAYER)));
        t.setDaemon(true);
        t.start();
        while (!claim.isDone() && t.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        return claim;
    }

    @Test
    void theSecondCopyIntoARepositoryWaitsForTheFirstThenFindsTheBlobThere() throws Exception {
        BlobLedger.Target one = ledger.target("r.example", "one");
        assertEquals(new BlobLedger.Move(null), one.claim(LAYER), "the first moves it, with nothing to mount from");

        CompletableFuture<BlobLedger.Claim> second = claimElsewhere(ledger.target("r.example", "one"));
        assertFalse(second.isDone(), "waits while the first moves it");
        one.done(LAYER, true);
        assertInstanceOf(BlobLedger.Present.class, second.get());
    }

    @Test
    void anotherRepositoryOfTheRegistryWaitsThenMountsFromTheFirst() throws Exception {
        BlobLedger.Target one = ledger.target("r.example", "one");
        one.claim(LAYER);
        CompletableFuture<BlobLedger.Claim> two = claimElsewhere(ledger.target("r.example", "two"));
        assertFalse(two.isDone(), "waits, to mount rather than upload the same bytes alongside");
        one.done(LAYER, true);
        assertEquals(new BlobLedger.Move("one"), two.get());
    }

    @Test
    void whenTheFirstFailsTheNextMovesItItself() throws Exception {
        BlobLedger.Target one = ledger.target("r.example", "one");
        one.claim(LAYER);
        CompletableFuture<BlobLedger.Claim> again = claimElsewhere(ledger.target("r.example", "one"));
        one.done(LAYER, false);
        assertEquals(new BlobLedger.Move(null), again.get());
    }

    @Test
    void aBlobFoundInARepositoryIsMountedFromItButOnlyOnTheSameRegistry() {
        ledger.target("r.example", "one").found(LAYER);
        assertInstanceOf(BlobLedger.Present.class, ledger.target("r.example", "one").claim(LAYER));
        assertEquals(new BlobLedger.Move("one"), ledger.target("r.example", "two").claim(LAYER));
        assertEquals(new BlobLedger.Move(null), ledger.target("other.example", "one").claim(LAYER),
                "no mount across registries, and no wait on another registry's transfer");
    }
}
