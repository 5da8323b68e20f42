package dev.regctl.ops;

import dev.regctl.oci.ImageRef;
import dev.regctl.store.ImageStore;
import java.util.ArrayList;
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

    /**
     * The outcome of {@code read} for each of {@code refs}, in their order. A reference whose
     * read ran out of memory is read again alone once the others are done: each manifest may be
     * up to {@link dev.regctl.oci.RawManifest#MAX_SIZE}, and several of those at once can outgrow
     * the launcher's small heap where one alone fits. Alone, it fails as a single reference would.
     */
    public static <R> List<Outcome<R>> read(Session session, List<ImageRef> refs, Read<R> read) {
        List<Outcome<R>> parallel = Parallel.map(refs, THREADS, ref -> {
            try {
                Outcome<R> o = attempt(session, ref, read);
                return o.succeeded() || !outOfMemory(o.failure()) ? o : null;
            } catch (OutOfMemoryError e) {
                return null; // its buffers are gone with the stack; read again below
            }
        });
        List<Outcome<R>> outcomes = new ArrayList<>(parallel.size());
        for (int i = 0; i < parallel.size(); i++) {
            Outcome<R> o = parallel.get(i);
            outcomes.add(o != null ? o : attempt(session, refs.get(i), read));
        }
        return outcomes;
    }

    /** Also when a parser or stream wrapped it on the way up. */
    private static boolean outOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private static <R> Outcome<R> attempt(Session session, ImageRef ref, Read<R> read) {
        try (ImageStore store = session.open(ref, Session.Access.READ)) {
            return new Outcome<>(ref, read.apply(store, ref), null);
        } catch (RuntimeException e) {
            return new Outcome<>(ref, null, e);
        }
    }
}
