package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading several references: answers and failures stay with their reference in argument order,
 * and a read that ran out of memory beside the others is read again alone rather than failed.
 * No request is made: opening a registry store is lazy, and the reads here never touch it.
 */
class ReferenceBatchTest {
    @TempDir
    Path tmp;

    private Session session() {
        return new Session(new Session.Options(tmp.resolve("docker"), false, null, Map.of()), List.of());
    }

    private static List<ImageRef> refs(int n) {
        return IntStream.range(0, n).mapToObj(i -> ImageRef.parse("localhost:5000/app:t" + i)).toList();
    }

    @Test
    void everyReferenceKeepsItsOwnAnswerOrFailureInArgumentOrder() {
        List<ImageRef> refs = refs(20);
        RegctlException missing = new RegctlException(RegctlException.Kind.NOT_FOUND, "t7: manifest unknown");
        try (Session session = session()) {
            List<ReferenceBatch.Outcome<String>> outcomes = ReferenceBatch.read(session, refs, (store, ref) -> {
                if (ref.tag().equals("t7")) {
                    throw missing;
                }
                return ref.tag();
            });

            assertEquals(20, outcomes.size());
            for (int i = 0; i < 20; i++) {
                assertSame(refs.get(i), outcomes.get(i).ref());
                if (i == 7) {
                    assertSame(missing, outcomes.get(i).failure());
                    assertNull(outcomes.get(i).value());
                } else {
                    assertEquals("t" + i, outcomes.get(i).value());
                }
            }
        }
    }

    @Test
    void aReadThatRanOutOfMemoryBesideTheOthersIsReadAgainAlone() {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        try (Session session = session()) {
            List<ReferenceBatch.Outcome<String>> outcomes = ReferenceBatch.read(session, refs(6), (store, ref) -> {
                int attempt = attempts.computeIfAbsent(ref.tag(), t -> new AtomicInteger()).incrementAndGet();
                if (attempt == 1 && ref.tag().equals("t2")) {
                    throw new OutOfMemoryError("Java heap space");
                }
                if (attempt == 1 && ref.tag().equals("t4")) {
                    // as a parser or a stream reports it: wrapped
                    throw new UncheckedIOException(new java.io.IOException(new OutOfMemoryError("Java heap space")));
                }
                if (ref.tag().equals("t5")) {
                    throw new RegctlException(RegctlException.Kind.FAILURE, "connection reset");
                }
                return ref.tag();
            });

            assertEquals(List.of("t0", "t1", "t2", "t3", "t4"),
                    outcomes.subList(0, 5).stream().map(ReferenceBatch.Outcome::value).toList());
            assertEquals(2, attempts.get("t2").get());
            assertEquals(2, attempts.get("t4").get());
            assertEquals(1, attempts.get("t5").get(), "other failures are answers, not retried");
            assertEquals("connection reset", outcomes.get(5).failure().getMessage());
        }
    }
}
