package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import java.util.concurrent.Semaphore;

/**
 * How many blob transfers may run at once, shared by every copy of a run: a sync of many images
 * moves at most {@code -j} blobs at a time in all, not {@code -j} per image.
 */
public final class TransferSlots {
    private final Semaphore slots;

    public TransferSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots: " + slots);
        }
        this.slots = new Semaphore(slots, true);
    }

    /** Runs {@code transfer} once a slot is free, and frees it after. */
    <T> T run(java.util.function.Supplier<T> transfer) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegctlException(RegctlException.Kind.FAILURE, "interrupted");
        }
        try {
            return transfer.get();
        } finally {
            slots.release();
        }
    }
}
