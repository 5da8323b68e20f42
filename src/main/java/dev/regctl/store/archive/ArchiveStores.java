package dev.regctl.store.archive;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.store.ImageStore;
import dev.regctl.store.LocalTarget;
import dev.regctl.store.ocidir.OciLayoutStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/** Opens the store an archive reference names, to read an archive or to write a new one. */
public final class ArchiveStores {

    private ArchiveStores() {
    }

    /**
     * An existing archive, indexed and ready to read.
     *
     * @throws RegctlException NOT_FOUND when there is no such file, FAILURE when it is not a
     *                         readable archive of its format (one line saying why)
     */
    public static ImageStore read(ArchiveReference ref) {
        String name = ref.repositoryName();
        ArchiveFile archive;
        try {
            archive = ArchiveFile.open(ref.path());
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": no such file");
        } catch (IOException e) {
            throw failure(name, e);
        }
        try {
            if (ref.format() == ArchiveReference.Format.OCI) {
                return OciLayoutStore.readOnly(name, new OciArchiveContent(archive));
            }
            return DockerArchiveStore.read(name, archive);
        } catch (IOException | RuntimeException e) {
            try {
                archive.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof IOException io ? failure(name, io) : (RuntimeException) e;
        }
    }

    /**
     * A new archive, written by one copy into a temporary file beside {@code ref}'s path and
     * put in its place when the copy commits; nothing is made before the first write.
     */
    public static ImageStore write(ArchiveReference ref) {
        String name = ref.repositoryName();
        LocalTarget.requireFile(name, ref.path());
        if (ref.format() == ArchiveReference.Format.OCI) {
            return new OciArchiveWriter(name, ref.path());
        }
        return new DockerArchiveWriter(name, ref.path(), DockerArchiveWriter.repositoryOf(ref));
    }

    private static RegctlException failure(String name, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        // No cause for a bad archive: it will be no different on another attempt.
        return e instanceof BadArchiveException
                ? new RegctlException(Kind.FAILURE, name + ": " + why)
                : new RegctlException(Kind.FAILURE, name + ": " + why, null, e);
    }
}
