package dev.regctl.ops.copy;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.store.ImageStore;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The blobs several copies of one run (a sync) have moved into the repositories of each target
 * registry, so that they share the work: a blob two images need in the same repository goes up
 * once (the second waits for the first, then finds it there), and a blob needed in a second
 * repository of the same registry is mounted from the first instead of uploaded again.
 *
 * <p>Per registry and digest one transfer runs at a time, whatever its repository: a copy into
 * another repository waits for it, so that it can mount what the first moved rather than upload
 * the same bytes alongside it. Waiting holds no transfer slot (see {@link TransferSlots}).
 */
public final class BlobLedger {
    private final Object lock = new Object();
    /** Per registry and digest: who is moving it now, and which repositories have it. */
    private final Map<Key, Entry> entries = new HashMap<>();

    private record Key(String registry, Digest digest) {
    }

    private static final class Entry {
        String movingInto;
        final Set<String> holders = new LinkedHashSet<>();
    }

    /**
     * What a copy into {@code repository} of {@code registry} consults; a store without a
     * registry (a layout) passes a name of its own for both, and is never offered a mount.
     */
    public Target target(String registry, String repository) {
        return new Target(this, registry, repository);
    }

    /**
     * What a copy into {@code target} consults: per registry, so blobs mount across its
     * repositories; a layout or archive is a registry of its own, never mounted from.
     */
    public Target target(ImageStore target) {
        return target.onRegistry().map(r -> target(r.registry(), r.repository()))
                .orElseGet(() -> target("layout " + target.name(), target.name()));
    }

    /** A ledger for one copy alone: nothing to share, so it never waits and never offers a mount. */
    static Target unshared() {
        return new BlobLedger().target("", "");
    }

    /** The answer to {@link Target#claim}. */
    public sealed interface Claim {
    }

    /** The target repository has the blob already: moved by another copy of this run, or found there. */
    public record Present() implements Claim {
    }

    /**
     * The caller moves the blob and must call {@link Target#done} when it ends, whatever happens.
     *
     * @param mountFrom a repository of the same registry known to hold it, or null
     */
    public record Move(String mountFrom) implements Claim {
    }

    /** The ledger as one target repository sees it. */
    public static final class Target {
        private final BlobLedger ledger;
        private final String registry;
        private final String repository;

        private Target(BlobLedger ledger, String registry, String repository) {
            this.ledger = ledger;
            this.registry = registry;
            this.repository = repository;
        }

        /**
         * Whether the repository has {@code digest}, or else the right to move it, waiting while
         * another copy moves the same blob into any repository of this registry.
         */
        public Claim claim(Digest digest) {
            Key key = new Key(registry, digest);
            synchronized (ledger.lock) {
                Entry e = ledger.entries.computeIfAbsent(key, k -> new Entry());
                while (e.movingInto != null && !e.holders.contains(repository)) {
                    try {
                        ledger.lock.wait();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        throw new RegctlException(RegctlException.Kind.FAILURE, "interrupted");
                    }
                }
                if (e.holders.contains(repository)) {
                    return new Present();
                }
                e.movingInto = repository;
                String from = e.holders.isEmpty() ? null : e.holders.iterator().next();
                return new Move(from);
            }
        }

        /** Ends the move {@link #claim} granted; {@code moved} says the repository now has the blob. */
        public void done(Digest digest, boolean moved) {
            synchronized (ledger.lock) {
                Entry e = ledger.entries.get(new Key(registry, digest));
                e.movingInto = null;
                if (moved) {
                    e.holders.add(repository);
                }
                ledger.lock.notifyAll();
            }
        }

        /** Records that the repository was found to have {@code digest}, so others may mount it from here. */
        public void found(Digest digest) {
            synchronized (ledger.lock) {
                ledger.entries.computeIfAbsent(new Key(registry, digest), k -> new Entry()).holders.add(repository);
            }
        }
    }
}
