package dev.regctl.ops.compose;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;

/**
 * The stores a composing command can add to where they stand: a registry repository or an OCI
 * layout. An archive is written whole by one copy, so adding a tag or a blob to it is refused
 * before anything is read.
 */
public final class InPlaceWrite {

    private InPlaceWrite() {
    }

    /** Fails with USAGE when {@code ref} names an archive. */
    public static void require(String command, ImageRef ref) {
        if (ref.writtenWhole()) {
            throw new RegctlException(RegctlException.Kind.USAGE, command + " " + ref
                    + ": an archive is written whole, not added to",
                    "write to a registry or an oci: layout, then make the archive with regctl copy", null);
        }
    }
}
