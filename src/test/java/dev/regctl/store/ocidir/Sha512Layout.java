package dev.regctl.store.ocidir;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.testing.ImageParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A layout written with sha512 throughout (blobs under {@code blobs/sha512/}, every descriptor
 * sha512), as containers/image writes it with {@code --digestfunction sha512}: tag {@code v1} is
 * the amd64 image, tag {@code multi} an index of it and an arm64 image.
 *
 * @param amd64Bytes the bytes of the amd64 image's manifest
 */
public record Sha512Layout(Path dir, Descriptor amd64, Descriptor arm64, Descriptor index, byte[] amd64Bytes) {

    /** Writes the layout into {@code dir}, which must not hold one yet. */
    public static Sha512Layout write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha512"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] amd64Bytes = image(dir, "amd64");
        Descriptor amd64 = blob(dir, MediaTypes.OCI_MANIFEST, amd64Bytes);
        Descriptor arm64 = blob(dir, MediaTypes.OCI_MANIFEST, image(dir, "arm64"));
        Descriptor index = blob(dir, MediaTypes.OCI_INDEX, ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + entry(amd64, "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}") + ","
                + entry(arm64, "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}") + "]}").getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":["
                + entry(amd64, "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}") + ","
                + entry(index, "\"annotations\":{\"org.opencontainers.image.ref.name\":\"multi\"}") + "]}");
        return new Sha512Layout(dir, amd64, arm64, index, amd64Bytes);
    }

    /** An image manifest whose config and one layer are sha512 blobs of the layout. */
    private static byte[] image(Path dir, String architecture) throws IOException {
        Descriptor layer = blob(dir, MediaTypes.OCI_LAYER_GZIP, ImageParts.layer("data.bin",
                ImageParts.random(2048, architecture.hashCode())).bytes());
        Descriptor config = blob(dir, MediaTypes.OCI_CONFIG, ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8));
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + entry(config, null)
                + ",\"layers\":[" + entry(layer, null) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static Descriptor blob(Path dir, String mediaType, byte[] bytes) throws IOException {
        Descriptor d = new Descriptor(mediaType, sha512(bytes), bytes.length);
        Files.write(dir.resolve("blobs/sha512").resolve(d.digest().hex()), bytes);
        return d;
    }

    private static String entry(Descriptor d, String more) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
                + (more == null ? "" : "," + more) + "}";
    }

    private static Digest sha512(byte[] bytes) {
        try {
            return new Digest("sha512", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
