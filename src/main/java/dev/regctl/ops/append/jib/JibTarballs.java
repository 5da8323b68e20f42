package dev.regctl.ops.append.jib;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.Index;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The glue between an OCI layout and the tarballs Jib core reads and writes: Jib takes a local
 * base only as a {@code docker save} tarball and writes its result as a tarred OCI layout. Both
 * directions stream, blob by blob. Kept in this one class so it can give way to the archive
 * stores ({@code docker-archive:}, {@code oci-archive:}) once regctl has them.
 */
final class JibTarballs {
    private static final Pattern BLOB = Pattern.compile("blobs/sha256/([a-f0-9]{64})");
    /** Jib's {@code index.json} lists one manifest; anything near this is not Jib's. */
    private static final int MAX_INDEX = 64 * 1024;

    private JibTarballs() {
    }

    /** One entry of a {@code docker save} manifest.json, as Jib reads it. */
    private record SaveEntry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                             @JsonProperty("Layers") List<String> layers) {
    }

    /**
     * Writes the image {@code manifest} of {@code layout} as a {@code docker save} tarball: its
     * config, its layers as stored (gzip, so Jib keeps their bytes and digests) and manifest.json.
     */
    static void writeBase(ImageStore layout, Manifest manifest, byte[] config, Path tar) {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tar), 64 * 1024);
             TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            String configName = manifest.config().digest().hex() + ".json";
            entry(out, configName, config.length);
            out.write(config);
            out.closeArchiveEntry();
            List<String> layers = new ArrayList<>();
            Set<String> written = new HashSet<>();
            for (Descriptor layer : manifest.layers()) {
                String name = layer.digest().hex() + ".tar.gz";
                layers.add(name);
                if (written.add(name)) {
                    entry(out, name, layer.size());
                    try (InputStream in = layout.openBlob(layer)) {
                        in.transferTo(out);
                    }
                    out.closeArchiveEntry();
                }
            }
            byte[] save = Json.mapper().writeValueAsBytes(List.of(new SaveEntry(configName, List.of(), layers)));
            entry(out, "manifest.json", save.length);
            out.write(save);
            out.closeArchiveEntry();
            out.finish();
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot write the base for Jib to "
                    + tar + ": " + e.getMessage(), null, e);
        }
    }

    private static void entry(TarArchiveOutputStream out, String name, long size) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setModTime(0);
        out.putArchiveEntry(e);
    }

    /**
     * Moves the blobs of Jib's OCI tarball into {@code layout} (those it lacks, the base's layers
     * being there already), each verified against its name, and returns the image manifest its
     * {@code index.json} names.
     */
    static RawManifest readResult(Path tar, ImageStore layout) {
        Digest manifestDigest = null;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(tar), 64 * 1024);
             TarArchiveInputStream in = new TarArchiveInputStream(file)) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isFile()) {
                    continue;
                }
                var blob = BLOB.matcher(e.getName());
                if (blob.matches()) {
                    Descriptor d = new Descriptor("application/octet-stream", Digest.parse("sha256:" + blob.group(1)), e.getSize());
                    if (!layout.hasBlob(d)) {
                        layout.putBlob(d, in);
                    }
                } else if (e.getName().equals("index.json")) {
                    manifestDigest = onlyManifest(in.readNBytes(MAX_INDEX + 1));
                }
            }
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot read Jib's result "
                    + tar + ": " + e.getMessage(), null, e);
        }
        if (manifestDigest == null) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: Jib's result " + tar + " has no index.json");
        }
        return layout.fetchManifest(manifestDigest);
    }

    private static Digest onlyManifest(byte[] indexJson) throws IOException {
        if (indexJson.length > MAX_INDEX) {
            throw new IOException("index.json is over " + MAX_INDEX + " bytes");
        }
        Index index = Json.mapper().readValue(indexJson, Index.class);
        if (index.manifests().size() != 1 || !MediaTypes.OCI_MANIFEST.equals(index.manifests().get(0).mediaType())) {
            throw new IOException("index.json lists " + index.manifests().size() + " manifests, not one OCI image");
        }
        return index.manifests().get(0).digest();
    }
}
