package dev.regctl.ops.append;

import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;

import java.nio.file.Path;

/**
 * Builds one platform's image: the base's layers and config, plus a layer per {@code --add} and
 * the config edits. Builds on local files only: the base's blobs are read through the store
 * given, and the result written to it. Implemented on Jib core ({@code ops.append.jib}), which {@link JibLoader} loads
 * in its own class loader, so this interface names no Jib type.
 */
public interface ImageBuilder {

    /**
     * @param session the run's door to stores, through which the builder opens any tarball it hands its tool
     * @param layout  the store holding {@code base} and its blobs (read where they are, never
     *                copied out: the new image keeps the base's layers by digest); the new image's
     *                manifest, config and layers go there
     * @param base    an image manifest in {@code layout}, gzip layers only
     * @param changes the layers to add and the config edits
     * @param scratch an empty directory for temporary files, removed by the caller
     * @return the new image's manifest, stored in {@code layout} with its config and layers
     */
    RawManifest build(Session session, ImageStore layout, RawManifest base, Changes changes, Path scratch);
}
