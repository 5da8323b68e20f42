package dev.regctl.store.ocidir;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/** Images built in code for the layout tests: real enough for skopeo to copy and inspect. */
final class TestImages {

    private TestImages() {
    }

    /** Content and its descriptor together. */
    record Blob(byte[] bytes, Descriptor descriptor) {
        static Blob of(String mediaType, byte[] bytes) {
            return new Blob(bytes, new Descriptor(mediaType, Digest.sha256(bytes), bytes.length));
        }

        Digest digest() {
            return descriptor.digest();
        }
    }

    /** An image: manifest, config and layers, the parts a copy moves. */
    record Image(RawManifest manifest, Blob config, Blob... layers) {
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A gzip-compressed tar with one file, so diff ids and layer digests are honest. */
    static Blob layer(String fileName, byte[] fileContent) {
        byte[] tar = tar(fileName, fileContent);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Blob.of(MediaTypes.OCI_LAYER_GZIP, gz.toByteArray());
    }

    /** An image for one platform whose single layer holds {@code fileContent}. */
    static Image image(String architecture, byte[] fileContent) {
        Blob layer = layer("data.bin", fileContent);
        String diffId = Digest.sha256(tar("data.bin", fileContent)).toString();
        String config = "{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
        Blob configBlob = Blob.of(MediaTypes.OCI_CONFIG, config.getBytes(StandardCharsets.UTF_8));
        return new Image(manifest(configBlob, layer), configBlob, layer);
    }

    static RawManifest manifest(Blob config, Blob... layers) {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":" + descriptorJson(config.descriptor(), null) + ","
                + "\"layers\":[" + Arrays.stream(layers).map(l -> descriptorJson(l.descriptor(), null))
                .collect(Collectors.joining(",")) + "]}";
        return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** An OCI index of the given images, each entry carrying its platform. */
    static RawManifest index(Image... images) {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + Arrays.stream(images).map(i -> descriptorJson(i.manifest().descriptor(), architecture(i)))
                .collect(Collectors.joining(",")) + "]}";
        return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** An artifact attached to {@code subject}, as a signature is; its empty config is not stored. */
    static RawManifest referrer(Descriptor subject) {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.signature\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
                + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
                + "\"layers\":[],\"subject\":" + descriptorJson(subject, null) + "}";
        return RawManifest.of(json.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String architecture(Image image) {
        String config = new String(image.config().bytes(), StandardCharsets.UTF_8);
        int start = config.indexOf("\"architecture\":\"") + "\"architecture\":\"".length();
        return config.substring(start, config.indexOf('"', start));
    }

    private static String descriptorJson(Descriptor d, String architecture) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
                + (architecture == null ? "" : ",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}")
                + "}";
    }

    /** A ustar archive with one regular file: header, content padded to 512, two zero blocks. */
    private static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 0));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        int padded = (content.length + 511) / 512 * 512;
        byte[] tar = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(content, 0, tar, 512, content.length);
        return tar;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
