package dev.regctl.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An OCI image layout directory as {@link TestImages} writes it: {@code oci-layout}, blobs by
 * digest under {@code blobs/sha256}, and {@code index.json} naming each tagged manifest with an
 * {@code org.opencontainers.image.ref.name} annotation.
 */
final class OciLayout {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final Path dir;

    private OciLayout(Path dir) {
        this.dir = dir;
    }

    /** Opens the layout at {@code dir}, creating an empty one if there is none. */
    static OciLayout open(Path dir) {
        try {
            Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
            Path marker = dir.resolve("oci-layout");
            if (!Files.exists(marker)) {
                Files.writeString(marker, "{\"imageLayoutVersion\":\"1.0.0\"}");
            }
            return new OciLayout(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an OCI layout in " + dir, e);
        }
    }

    /** The file that holds (or would hold) the blob with this digest. */
    Path blobPath(String digest) {
        return dir.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    byte[] readBlob(String digest) {
        try {
            return Files.readAllBytes(blobPath(digest));
        } catch (IOException e) {
            throw new UncheckedIOException("reading blob " + digest + " of the OCI layout " + dir, e);
        }
    }

    /** Serialises {@code json} compactly and stores it; returns its descriptor. */
    ObjectNode writeJsonBlob(String mediaType, JsonNode json) {
        try {
            return writeBlob(mediaType, JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores {@code bytes} under their digest (once); returns their descriptor. */
    ObjectNode writeBlob(String mediaType, byte[] bytes) {
        String digest = Digest.sha256(bytes).toString();
        Path file = blobPath(digest);
        try {
            if (!Files.exists(file)) {
                Files.write(file, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
        ObjectNode descriptor = JSON.createObjectNode();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest);
        descriptor.put("size", bytes.length);
        return descriptor;
    }

    /** The index.json entry listed under {@code tag}. */
    JsonNode entry(String tag) {
        for (JsonNode m : readIndex().path("manifests")) {
            if (tag.equals(m.path("annotations").path(REF_NAME).asText(null))) {
                return m;
            }
        }
        throw new IllegalArgumentException("no image tagged \"" + tag + "\" in the OCI layout " + dir);
    }

    /** Points {@code tag} at the descriptor in index.json, replacing whatever it named before. */
    void tag(String tag, ObjectNode descriptor) {
        ObjectNode index = readIndex();
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode m : index.path("manifests")) {
            if (!tag.equals(m.path("annotations").path(REF_NAME).asText(null))) {
                kept.add(m);
            }
        }
        ObjectNode entry = descriptor.deepCopy();
        entry.putObject("annotations").put(REF_NAME, tag);
        kept.add(entry);
        index.set("manifests", kept);
        Path indexFile = dir.resolve("index.json");
        try {
            Files.write(indexFile, JSON.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + indexFile, e);
        }
    }

    private ObjectNode readIndex() {
        Path indexFile = dir.resolve("index.json");
        if (!Files.exists(indexFile)) {
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            index.putArray("manifests");
            return index;
        }
        try {
            return (ObjectNode) JSON.readTree(indexFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + indexFile, e);
        }
    }
}
