package dev.regctl.ops.append.jib;

import dev.regctl.RegctlException;
import dev.regctl.oci.ArchiveReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.ImageConfig;
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
     * Moves the layers of Jib's OCI tarball into {@code layout} (those it lacks, the base's layers
     * being there already), each verified against its digest, with its config and manifest once
     * the {@code added} layers' history entries are credited to regctl (see {@link HistoryAuthor}).
     * Returns the image manifest, its bytes stored in {@code layout} as a blob.
     */
    static RawManifest readResult(Path tar, ImageStore layout, int added) {
        try (ImageStore archive = ArchiveStores.read(new ArchiveReference(ArchiveReference.Format.OCI, tar, null, null))) {
            RawManifest built = archive.fetchManifest(archive.onlyImage());
            for (Descriptor blob : built.manifest().layers()) {
                if (!layout.hasBlob(blob)) {
                    try (InputStream in = archive.openBlob(blob)) {
                        layout.putBlob(blob, in);
                    } catch (IOException e) {
                        throw new RegctlException(RegctlException.Kind.FAILURE,
                                "append: cannot read Jib's result " + tar + ": " + e.getMessage(), null, e);
                    }
                }
            }
            Descriptor jibConfig = built.manifest().config();
            byte[] config = HistoryAuthor.credit(ImageConfig.fetch(archive, jibConfig).raw(), added);
            Descriptor credited = new Descriptor(jibConfig.mediaType(), Digest.sha256(config), config.length);
            putUnlessPresent(layout, credited, config);
            RawManifest result = withConfig(built, credited);
            putUnlessPresent(layout, result.descriptor(), result.bytes());
            return result;
        }
    }

    private static void putUnlessPresent(ImageStore layout, Descriptor blob, byte[] bytes) {
        if (!layout.hasBlob(blob)) {
            layout.putBlob(blob, new ByteArrayInputStream(bytes));
        }
    }

    /** {@code manifest} pointing at {@code config}, every other field as Jib wrote it. */
    private static RawManifest withConfig(RawManifest manifest, Descriptor config) {
        if (manifest.manifest().config().digest().equals(config.digest())) {
            return manifest;
        }
        try {
            ObjectNode tree = (ObjectNode) Json.readTree(manifest.bytes());
            ObjectNode descriptor = (ObjectNode) tree.path("config");
            descriptor.put("digest", config.digest().toString());
            descriptor.put("size", config.size());
            return RawManifest.of(Json.mapper().writeValueAsBytes(tree), manifest.mediaType());
        } catch (IOException | ClassCastException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot read Jib's manifest: " + e.getMessage(), null, e);
        }
    }

    private static List<Descriptor> blobsOf(Manifest manifest) {
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(manifest.config());
        blobs.addAll(manifest.layers());
        return blobs;
    }
}
