package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.LayoutReference;
import dev.regctl.oci.Reference;
import dev.regctl.store.ImageStore;
import dev.regctl.store.ocidir.NewLayoutStore;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Opens the {@link ImageStore} an {@link ImageRef} names: a registry repository or an OCI layout. */
public final class Stores {

    private Stores() {
    }

    /** A store to read from; a layout must already exist. */
    public static ImageStore source(Session session, ImageRef ref) {
        if (ref instanceof Reference r) {
            return session.repository(r);
        }
        return OciLayoutStore.open(((LayoutReference) ref).path());
    }

    /**
     * A store to write to. A layout that does not exist yet is created by the first write, so a
     * dry run, or a copy that fails before writing, leaves no directory behind; a directory
     * that holds other files is refused now rather than after planning.
     */
    public static ImageStore destination(Session session, ImageRef ref) {
        if (ref instanceof Reference r) {
            return session.repository(r);
        }
        Path dir = ((LayoutReference) ref).path();
        if (Files.exists(dir.resolve("oci-layout")) || (Files.isDirectory(dir) && !isEmptyDirectory(dir))) {
            // create() completes a half-made layout and refuses a directory of other files.
            return OciLayoutStore.create(dir);
        }
        return new NewLayoutStore(dir);
    }

    /**
     * The repository blobs can be mounted from: the source's, when source and destination are
     * different repositories of the same registry; otherwise null.
     */
    public static String mountFrom(ImageRef source, ImageRef destination) {
        if (source instanceof Reference s && destination instanceof Reference d
                && s.registry().equals(d.registry()) && !s.repository().equals(d.repository())) {
            return s.repository();
        }
        return null;
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "oci:" + dir + ": " + e.getMessage(), null, e);
        }
    }
}
