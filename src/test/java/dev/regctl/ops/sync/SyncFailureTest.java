package dev.regctl.ops.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import dev.regctl.ops.MemoryStore;
import dev.regctl.ops.copy.Copier;
import dev.regctl.ops.copy.CopyFailure;
import dev.regctl.ops.copy.CopyOptions;
import dev.regctl.ops.copy.CopyRequest;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one image's failure reads in a sync report: its reason, never the copy's own prefix. */
class SyncFailureTest {

    @Test
    void aCopysFailureIsGivenByItsReasonAlone() {
        Copier copier = new Copier(new MemoryStore("r.example/a"), new MemoryStore("r.example/b"),
                new CopyOptions(List.of(), false, false, 1));
        CopyFailure failed = assertThrows(CopyFailure.class,
                () -> copier.plan(CopyRequest.parse("r.example/a:gone", "r.example/b:gone", false)));

        SyncFailure failure = SyncFailure.of(failed);

        assertEquals(failed.reason().lines().findFirst().orElseThrow()
                + (failed.hint() == null ? "" : " (" + failed.hint() + ")"), failure.message());
        assertEquals(RegctlException.Kind.NOT_FOUND, failure.kind());
    }

    @Test
    void aFailureThatIsNoCopysKeepsItsWholeTextThoughItStartsWithCopy() {
        // Read as text, this looked like a copy's prefix before its cause, and lost what was being written.
        RegctlException e = new RegctlException(RegctlException.Kind.FAILURE, "copy of oci:/x blob sha256:ab: disk full",
                null, new IOException("disk full"));

        assertEquals("copy of oci:/x blob sha256:ab: disk full", SyncFailure.of(e).message());
    }
}
