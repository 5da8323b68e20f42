package dev.regctl.ops.append;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Real base images written into a store: a gzip tar layer whose diff id the config names, and a config with env, cmd and labels. */
public final class BaseImages {
    private BaseImages() {
    }

    /** A one-layer image for {@code os/arch}, tagged {@code tag} unless null. */
    public static RawManifest image(ImageStore store, String tag, String platform) {
        String[] p = platform.split("/");
        byte[] tar = tar("etc/base-" + p[1], "base for " + platform + "\n");
        Descriptor layer = blob(store, MediaTypes.OCI_LAYER_GZIP, gzip(tar));
        String config = "{\"created\":\"2024-01-01T00:00:00Z\",\"os\":\"" + p[0] + "\",\"architecture\":\"" + p[1] + "\","
                + "\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\",\"MODE=base\"],\"Cmd\":[\"/bin/sh\"],"
                + "\"Labels\":{\"base\":\"yes\"},\"ExposedPorts\":{\"22/tcp\":{}}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256(tar) + "\"]},"
                + "\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"base layer\"}]}";
        Descriptor configBlob = blob(store, MediaTypes.OCI_CONFIG, config.getBytes(StandardCharsets.UTF_8));
        RawManifest m = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(configBlob) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8),
                MediaTypes.OCI_MANIFEST);
        store.putManifest(m, tag);
        return m;
    }

    /** An OCI index of one image per platform, tagged {@code tag}. */
    public static RawManifest index(ImageStore store, String tag, String... platforms) {
        StringBuilder children = new StringBuilder();
        for (String platform : platforms) {
            RawManifest child = image(store, null, platform);
            String[] p = platform.split("/");
            children.append(children.isEmpty() ? "" : ",").append("{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST)
                    .append("\",\"digest\":\"").append(child.digest()).append("\",\"size\":").append(child.bytes().length)
                    .append(",\"platform\":{\"os\":\"").append(p[0]).append("\",\"architecture\":\"").append(p[1]).append("\"}}");
        }
        RawManifest index = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + children + "]}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
        store.putManifest(index, tag);
        return index;
    }

    private static byte[] tar(String name, String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Descriptor blob(ImageStore store, String mediaType, byte[] bytes) {
        Descriptor d = new Descriptor(mediaType, Digest.sha256(bytes), bytes.length);
        store.putBlob(d, new ByteArrayInputStream(bytes));
        return d;
    }

    private static String json(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }
}
