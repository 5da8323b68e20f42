package dev.regctl.ops.append.jib;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.image.ImageConfig;
import dev.regctl.oci.ArchiveReference;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
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
 * The tarball Jib core writes, a tarred OCI layout, read as an {@code oci-archive:} opened through
 * the session like every store, blob by blob; and the manifest made of Jib's and the base's layers.
 */
final class JibTarballs {

    private JibTarballs() {
    }

    /**
     * Jib's image, its layers in the layout: Jib's manifest and config (neither stored), and the
     * added layers as written again by {@link PlainTarLayer}, with their diff ids.
     */
    record Result(RawManifest manifest, byte[] config, List<Descriptor> addedLayers, List<String> addedDiffIds) {
    }

    /**
     * Moves the layers of Jib's OCI tarball, all {@code added} (Jib built on an empty base), into
     * {@code layout}, written again plain through {@code scratch}. Jib's config is returned for
     * {@link JibConfig} to read, not stored: the image gets another (see {@link #store}).
     */
    static Result readResult(Session session, Path tar, ImageStore layout, int added, Path scratch) {
        ArchiveReference oci = new ArchiveReference(ArchiveReference.Format.OCI, tar, null, null);
        try (ImageStore archive = session.open(oci, Session.Access.READ)) {
            RawManifest built = archive.fetchManifest(archive.onlyImage());
            List<Descriptor> layers = built.manifest().layers();
            if (layers.size() != added) {
                throw new RegctlException(RegctlException.Kind.FAILURE, "append: Jib's image has " + layers.size()
                        + " layers, not the " + added + " added");
            }
            List<Descriptor> plain = new ArrayList<>();
            List<String> diffIds = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                Descriptor blob = layers.get(i);
                try (InputStream in = archive.openBlob(blob)) {
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
     * Stores {@code config} in {@code layout}, and Jib's manifest pointing at it, at {@code baseLayers}
     * and at the plain added layers, every other field as Jib wrote it. Returns that manifest.
     */
    static RawManifest store(ImageStore layout, List<Descriptor> baseLayers, Result jib, byte[] config) {
        Descriptor jibConfig = jib.manifest().manifest().config();
        Descriptor descriptor = new Descriptor(jibConfig.mediaType(), Digest.sha256(config), config.length);
        putUnlessPresent(layout, descriptor, config);
        RawManifest result = withBlobs(jib.manifest(), descriptor, baseLayers, jib.addedLayers());
        putUnlessPresent(layout, result.descriptor(), result.bytes());
        return result;
    }

    private static void putUnlessPresent(ImageStore layout, Descriptor blob, byte[] bytes) {
        if (!layout.hasBlob(blob)) {
            layout.putBlob(blob, new ByteArrayInputStream(bytes));
        }
    }

    /**
     * {@code manifest} pointing at {@code config}, and at {@code base} followed by {@code added} as
     * its layers; every other field as Jib wrote it. A base layer is written as Jib writes one it
     * took from a base: the OCI gzip type (the bytes are the same), its digest and size.
     */
    private static RawManifest withBlobs(RawManifest manifest, Descriptor config, List<Descriptor> base, List<Descriptor> added) {
        try {
            ObjectNode tree = (ObjectNode) Json.readTree(manifest.bytes());
            point((ObjectNode) tree.path("config"), config);
            JsonNode jibLayers = tree.path("layers");
            ArrayNode layers = tree.arrayNode();
            for (Descriptor layer : base) {
                ObjectNode entry = layers.addObject().put("mediaType", MediaTypes.OCI_LAYER_GZIP);
                point(entry, layer);
            }
            for (int i = 0; i < added.size(); i++) {
                ObjectNode entry = (ObjectNode) jibLayers.get(i);
                point(entry, added.get(i));
                layers.add(entry);
            }
            tree.set("layers", layers);
            return RawManifest.of(Json.mapper().writeValueAsBytes(tree), manifest.mediaType());
        } catch (IOException | ClassCastException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot read Jib's manifest: " + e.getMessage(), null, e);
        }
    }

    private static void point(ObjectNode descriptor, Descriptor blob) {
        descriptor.put("digest", blob.digest().toString());
        descriptor.put("size", blob.size());
    }
}
