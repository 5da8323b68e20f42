package dev.regctl.store.archive;

import dev.regctl.RegctlException.Kind;
import dev.regctl.RegctlException;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.store.BadArchiveException;
import dev.regctl.store.ExpansionLimits;
import dev.regctl.store.ImageStore;
import dev.regctl.store.LocalTarget;
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
     *                         readable archive of its format (one line saying why), USAGE when
     *                         a variable of {@link ExpansionLimits} holds no limit
     */
    public static ImageStore read(ArchiveReference ref) {
        String name = ref.repositoryName();
        ExpansionLimits limits = ExpansionLimits.fromEnvironment(System.getenv());
        ArchiveFile archive;
        try {
            archive = ArchiveFile.open(ref.path(), limits);
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": no such file");
        } catch (IOException e) {
            throw failure(name, e);
        }
        try {
            if (ref.format() == ArchiveReference.Format.OCI) {
                return new OciArchiveStore(name, new OciArchiveContent(archive));
            }
            return DockerArchiveStore.read(name, archive, DockerArchiveWriter.repositoryOf(ref), ref.sourceIndex());
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
        if (ref.sourceIndex() != null) {
            throw new RegctlException(Kind.USAGE, name + ": @" + ref.sourceIndex() + " picks an image to read;"
                    + " an archive written by a copy is new, so name the image instead: " + name + ":NAME:TAG");
        }
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
