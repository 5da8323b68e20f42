package dev.regctl.ops.append.jib;

import dev.regctl.RegctlException;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import dev.regctl.store.archive.ArchiveStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tarballs Jib core reads and writes, through regctl's own archive stores: Jib takes a local
 * base only as a {@code docker save} tarball and writes its result as a tarred OCI layout, which
 * are {@code docker-archive:} and {@code oci-archive:}. Both directions stream, blob by blob.
 */
final class JibTarballs {

    private JibTarballs() {
    }

    /**
     * Writes the image {@code base} of {@code layout} as a {@code docker save} tarball: its config,
     * its layers as stored (gzip, so Jib keeps their bytes and digests) and manifest.json.
     */
    static void writeBase(ImageStore layout, RawManifest base, Path tar) {
        try (ImageStore archive = ArchiveStores.write(new ArchiveReference(ArchiveReference.Format.DOCKER, tar, null, null))) {
            for (Descriptor blob : blobsOf(base.manifest())) {
                archive.putBlobUnlessPresent(blob, () -> layout.openBlob(blob));
            }
            archive.putManifest(base, null);
            archive.commit();
        }
    }

    /**
     * Moves the blobs of Jib's OCI tarball into {@code layout} (those it lacks, the base's layers
     * being there already), each verified against its digest, and returns the image manifest the
     * tarball holds, its bytes stored in {@code layout} as a blob.
     */
    static RawManifest readResult(Path tar, ImageStore layout) {
        try (ImageStore archive = ArchiveStores.read(new ArchiveReference(ArchiveReference.Format.OCI, tar, null, null))) {
            RawManifest result = archive.fetchManifest(archive.onlyImage());
            for (Descriptor blob : blobsOf(result.manifest())) {
                if (!layout.hasBlob(blob)) {
                    try (InputStream in = archive.openBlob(blob)) {
                        layout.putBlob(blob, in);
                    } catch (IOException e) {
                        throw new RegctlException(RegctlException.Kind.FAILURE,
                                "append: cannot read Jib's result " + tar + ": " + e.getMessage(), null, e);
                    }
                }
            }
            if (!layout.hasBlob(result.descriptor())) {
                layout.putBlob(result.descriptor(), new ByteArrayInputStream(result.bytes()));
            }
            return result;
        }
    }

    private static List<Descriptor> blobsOf(Manifest manifest) {
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(manifest.config());
        blobs.addAll(manifest.layers());
        return blobs;
    }
}
