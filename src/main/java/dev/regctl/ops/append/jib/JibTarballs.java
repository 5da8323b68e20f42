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

    /** Jib's image manifest, its layers moved into the layout, and Jib's config, not stored. */
    record Result(RawManifest manifest, byte[] config) {
    }

    /**
     * Moves the layers of Jib's OCI tarball into {@code layout} (those it lacks, the base's layers
     * being there already), each verified against its digest. Jib's config is returned for
     * {@link JibConfig} to read, not stored: the image gets another (see {@link #store}).
     */
    static Result readResult(Path tar, ImageStore layout) {
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
            return new Result(built, ImageConfig.fetch(archive, built.manifest().config()).raw());
        }
    }

    /**
     * Stores {@code config} in {@code layout}, and {@code manifest} pointing at it, every other
     * field as Jib wrote it. Returns that manifest.
     */
    static RawManifest store(ImageStore layout, RawManifest manifest, byte[] config) {
        Descriptor jibConfig = manifest.manifest().config();
        Descriptor descriptor = new Descriptor(jibConfig.mediaType(), Digest.sha256(config), config.length);
        putUnlessPresent(layout, descriptor, config);
        RawManifest result = withConfig(manifest, descriptor);
        putUnlessPresent(layout, result.descriptor(), result.bytes());
        return result;
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
