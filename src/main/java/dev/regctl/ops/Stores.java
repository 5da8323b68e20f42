package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.LayoutReference;
import dev.regctl.oci.Reference;
import dev.regctl.store.ImageStore;
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
     * A store to write to; a layout is created if missing. For a dry run nothing may be created,
     * so a layout that does not exist yet is planned against as an empty store.
     */
    public static ImageStore destination(Session session, ImageRef ref, boolean dryRun) {
        if (ref instanceof Reference r) {
            return session.repository(r);
        }
        Path dir = ((LayoutReference) ref).path();
        if (!dryRun || Files.exists(dir.resolve("oci-layout"))) {
            return OciLayoutStore.create(dir);
        }
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
            // What create() would refuse, refused before the dry run pretends it would work.
            throw new RegctlException(RegctlException.Kind.USAGE,
                    "oci:" + dir + ": directory is not empty and is not an OCI image layout",
                    "copy to a new or empty directory", null);
        }
        return new EmptyStore("oci:" + dir);
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
