package dev.regctl.ops;

import dev.regctl.oci.ImageRef;
import dev.regctl.store.ImageStore;
import java.util.List;

/**
 * Reads something of each of several references in parallel within one session, so a run pays
 * start-up, TLS set-up, credential lookup and each token once, not once per reference. Every
 * reference gets its answer or its own failure, in the order given: one missing image does not
 * stop the others.
 */
public final class ReferenceBatch {
    /**
     * References read at once: enough to overlap the round trips of a distant registry, few
     * enough that one run does not look like a flood to it.
     */
    public static final int THREADS = 8;

    private ReferenceBatch() {
    }

    /** What to read of one reference, from the store it names. */
    @FunctionalInterface
    public interface Read<R> {
        R apply(ImageStore store, ImageRef ref);
    }

    /** One reference's answer, or why it has none: exactly one of {@code value} and {@code failure} is set. */
    public record Outcome<R>(ImageRef ref, R value, RuntimeException failure) {
        public boolean succeeded() {
            return failure == null;
        }
    }

    /** The outcome of {@code read} for each of {@code refs}, in their order. */
    public static <R> List<Outcome<R>> read(Session session, List<ImageRef> refs, Read<R> read) {
        return Parallel.map(refs, THREADS, ref -> {
            try (ImageStore store = session.open(ref, Session.Access.READ)) {
                return new Outcome<>(ref, read.apply(store, ref), null);
            } catch (RuntimeException e) {
                return new Outcome<>(ref, null, e);
            }
        });
    }
}
