package dev.regctl.store.ocidir;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.store.FileErrors;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one-line failures of a layout, named as messages call it ({@code oci:/x}); {@code dir} is
 * where refused paths are named from, null for a layout read from an archive.
 */
record LayoutErrors(String name, Path dir) {

    /** {@code name}'s index.json holds an entry that is not a descriptor. */
    RegctlException invalidIndex(IOException e) {
        return failure(name + ": " + IndexFile.NAME + " has an invalid entry: " + FileErrors.describe(e), e);
    }

    RegctlException refused(RefusedFileException e) {
        return refused(name, dir, e);
    }

    /**
     * One line naming the refused path within the layout, a blob by its digest: {@code oci:/x: blob
     * sha256:ab… is not a regular file (a symlink); refusing to read it}.
     */
    static RegctlException refused(String name, Path dir, RefusedFileException e) {
        Path inLayout = dir.relativize(e.path());
        String what = inLayout.getNameCount() == 3 && inLayout.getName(0).toString().equals("blobs")
                ? "blob " + inLayout.getName(1) + ":" + inLayout.getName(2)
                : inLayout.toString();
        // No cause: an I/O exception behind it would read as a passing failure to the copy's
        // retry, and the layout will not be any different on the next attempt.
        return new RegctlException(Kind.FAILURE, name + ": " + what + " " + e.problem());
    }

    static RegctlException failure(String message, Throwable cause) {
        return new RegctlException(Kind.FAILURE, message, null, cause);
    }
}
