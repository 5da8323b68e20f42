package dev.regctl.ops.append.jib;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.image.ImageConfig;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tarballs Jib core reads and writes, opened through the session as regctl's own archive stores: Jib takes a local
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
    static void writeBase(Session session, ImageStore layout, RawManifest base, Path tar) {
        ArchiveReference docker = new ArchiveReference(ArchiveReference.Format.DOCKER, tar, null, null);
        try (ImageStore archive = session.open(docker, Session.Access.CREATE)) {
            for (Descriptor blob : blobsOf(base.manifest())) {
                archive.putBlobUnlessPresent(blob, () -> layout.openBlob(blob));
            }
            archive.putManifest(base, null);
            archive.commit();
        }
    }

    /**
     * Jib's image, its layers in the layout: Jib's manifest and config (neither stored), and the
     * added layers as written again by {@link PlainTarLayer}, with their diff ids.
     */
    record Result(RawManifest manifest, byte[] config, List<Descriptor> addedLayers, List<String> addedDiffIds) {
    }

    /**
     * Moves the layers of Jib's OCI tarball into {@code layout}: the base's (there already, but
     * for one Jib might have changed) as they are, the last {@code added}, Jib's own, written
     * again plain through {@code scratch}. Jib's config is returned for {@link JibConfig} to
     * read, not stored: the image gets another (see {@link #store}).
     */
    static Result readResult(Session session, Path tar, ImageStore layout, int added, Path scratch) {
        ArchiveReference oci = new ArchiveReference(ArchiveReference.Format.OCI, tar, null, null);
        try (ImageStore archive = session.open(oci, Session.Access.READ)) {
            RawManifest built = archive.fetchManifest(archive.onlyImage());
            List<Descriptor> layers = built.manifest().layers();
            if (layers.size() < added) {
                throw new RegctlException(RegctlException.Kind.FAILURE, "append: Jib's image has " + layers.size()
                        + " layers, fewer than the " + added + " added");
            }
            List<Descriptor> plain = new ArrayList<>();
            List<String> diffIds = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                Descriptor blob = layers.get(i);
                try (InputStream in = archive.openBlob(blob)) {
                    if (i < layers.size() - added) {
                        if (!layout.hasBlob(blob)) {
                            layout.putBlob(blob, in);
                        }
                        continue;
                    }
                    Path file = scratch.resolve("layer-" + i + ".tar.gz");
                    PlainTarLayer.Written written = PlainTarLayer.rewrite(in, blob.mediaType(), file);
                    if (!layout.hasBlob(written.descriptor())) {
                        try (InputStream rewritten = Files.newInputStream(file)) {
                            layout.putBlob(written.descriptor(), rewritten);
                        }
                    }
                    Files.delete(file);
                    plain.add(written.descriptor());
                    diffIds.add(written.diffId());
                } catch (IOException e) {
                    throw new RegctlException(RegctlException.Kind.FAILURE,
                            "append: cannot read Jib's result " + tar + ": " + e.getMessage(), null, e);
                }
            }
            return new Result(built, ImageConfig.fetch(archive, built.manifest().config()).raw(), plain, diffIds);
        }
    }

    /**
     * Stores {@code config} in {@code layout}, and Jib's manifest pointing at it and at the plain
     * added layers, every other field as Jib wrote it. Returns that manifest.
     */
    static RawManifest store(ImageStore layout, Result jib, byte[] config) {
        Descriptor jibConfig = jib.manifest().manifest().config();
        Descriptor descriptor = new Descriptor(jibConfig.mediaType(), Digest.sha256(config), config.length);
        putUnlessPresent(layout, descriptor, config);
        RawManifest result = withBlobs(jib.manifest(), descriptor, jib.addedLayers());
        putUnlessPresent(layout, result.descriptor(), result.bytes());
        return result;
    }

    private static void putUnlessPresent(ImageStore layout, Descriptor blob, byte[] bytes) {
        if (!layout.hasBlob(blob)) {
            layout.putBlob(blob, new ByteArrayInputStream(bytes));
        }
    }

    /** {@code manifest} pointing at {@code config} and, as its last layers, {@code added}; every other field as Jib wrote it. */
    private static RawManifest withBlobs(RawManifest manifest, Descriptor config, List<Descriptor> added) {
        try {
            ObjectNode tree = (ObjectNode) Json.readTree(manifest.bytes());
            point((ObjectNode) tree.path("config"), config);
            JsonNode layers = tree.path("layers");
            for (int i = 0; i < added.size(); i++) {
                point((ObjectNode) layers.get(layers.size() - added.size() + i), added.get(i));
            }
            return RawManifest.of(Json.mapper().writeValueAsBytes(tree), manifest.mediaType());
        } catch (IOException | ClassCastException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot read Jib's manifest: " + e.getMessage(), null, e);
        }
    }

    private static void point(ObjectNode descriptor, Descriptor blob) {
        descriptor.put("digest", blob.digest().toString());
        descriptor.put("size", blob.size());
    }

    private static List<Descriptor> blobsOf(Manifest manifest) {
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(manifest.config());
        blobs.addAll(manifest.layers());
        return blobs;
    }
}
