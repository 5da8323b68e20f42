package dev.regctl.ops.append.jib;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.RegctlException;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.RawManifest;
import dev.regctl.image.ImageConfig;
import dev.regctl.ops.Session;
import dev.regctl.ops.append.AppendedConfig;
import dev.regctl.ops.append.Changes;
import dev.regctl.ops.append.ImageBuilder;
import dev.regctl.ops.append.LayerFiles;
import dev.regctl.store.ImageStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * {@link ImageBuilder} on Jib core: Jib builds each {@code --add} into a reproducible layer (sorted
 * entries, fixed timestamps, the given owner and modes) on an empty base and writes an OCI
 * tarball, all on local files; the base's layers are put in front of those, as Jib would have. The config is the base's with the
 * edits applied by {@link AppendedConfig}, taking from Jib's only the new layers' diff ids and
 * history, since Jib's model drops fields it does not know. Jib talks
 * to no registry here: pulling the base and pushing the result is regctl's own copy engine, so
 * credentials, certs.d, proxies and the {@code -v} trace work as for every other command.
 * Loaded by {@link dev.regctl.ops.append.JibLoader} only.
 */
public final class JibImageBuilder implements ImageBuilder {
    /** History's {@code created_by} is {@code regctl:append}: no version in it, so a new regctl keeps digests. */
    private static final String TOOL = "regctl";
    private static final String TOOL_VERSION = "append";

    @Override
    public RawManifest build(Session session, ImageStore layout, RawManifest base, Changes changes, Path scratch) {
        Manifest manifest = base.manifest();
        ImageConfig config = ImageConfig.fetch(layout, manifest.config());
        Path resultTar = scratch.resolve("result.tar");
        String platform = config.fields().os() + "/" + config.fields().architecture();
        try {
            // Jib builds the new layers only: the base's are put back in front by JibTarballs.store, so
            // they are never written out for Jib (a docker save tarball, Jib's unpacking of it, its
            // cache, its result), and stay in BASE's store.
            JibContainerBuilder image = Jib.fromScratch()
                    .setFormat(ImageFormat.OCI)
                    .setPlatforms(Set.of(new Platform(config.fields().architecture(), config.fields().os())));
            for (LayerFiles layer : changes.layers()) {
                image.addFileEntriesLayer(layer(layer, changes.owner()));
            }
            // The new layers' history entries take this time; the config's edits are regctl's (AppendedConfig).
            image.setCreationTime(changes.config().creationTime());
            image.containerize(Containerizer.to(TarImage.at(resultTar).named("regctl.invalid/append"))
                    .setOfflineMode(true)
                    .setBaseImageLayersCache(scratch.resolve("base-cache"))
                    .setApplicationLayersCache(scratch.resolve("layer-cache"))
                    .setToolName(TOOL)
                    .setToolVersion(TOOL_VERSION));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: interrupted while building " + platform);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw failed(platform, cause);
        } catch (IOException | RegistryException | CacheDirectoryCreationException | InvalidImageReferenceException
                 | RuntimeException e) {
            if (e instanceof RegctlException r) {
                throw r;
            }
            throw failed(platform, e);
        }
        JibTarballs.Result built = JibTarballs.readResult(session, resultTar, layout, changes.layers().size(), scratch);
        List<ObjectNode> history = JibConfig.read(built.config(), changes.layers().size()).addedHistory();
        byte[] appended = AppendedConfig.write(config.raw(), changes.config(), built.addedDiffIds(), history);
        return JibTarballs.store(layout, manifest.layers(), built, appended);
    }

    private static RegctlException failed(String platform, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new RegctlException(RegctlException.Kind.FAILURE, "append: Jib could not build the " + platform
                + " image: " + why, null, cause);
    }

    private static FileEntriesLayer layer(LayerFiles files, String owner) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(files.name());
        for (LayerFiles.Entry f : files.files()) {
            layer.addEntry(new FileEntry(f.source(), AbsoluteUnixPath.get(f.path()),
                    FilePermissions.fromOctalString(String.format("%03o", f.mode() & 0777)),
                    FileEntriesLayer.DEFAULT_MODIFICATION_TIME, owner));
        }
        return layer.build();
    }
}
