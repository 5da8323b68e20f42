package dev.regctl.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies one image out of an OCI layout into the directory format of containers-image's
 * {@code dir:} transport (version 1.1), byte for byte. skopeo's {@code oci:} transport only
 * resolves index.json entries with OCI media types, so Docker-typed fixtures reach it this way.
 */
final class DirTransport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DirTransport() {
    }

    /**
     * Writes {@code manifest.json} (the top manifest), {@code HEX.manifest.json} for each image of
     * a list, and every config and layer as a file named by its bare hex digest.
     */
    static void export(OciLayout layout, String digest, Path target) {
        try {
            Files.writeString(target.resolve("version"), "Directory Transport Version: 1.1\n");
            byte[] top = layout.readBlob(digest);
            Files.write(target.resolve("manifest.json"), top);
            JsonNode topJson = JSON.readTree(top);
            List<JsonNode> images = new ArrayList<>();
            if (MediaTypes.isIndex(topJson.path("mediaType").asText())) {
                for (JsonNode child : topJson.path("manifests")) {
                    String childDigest = child.path("digest").asText();
                    byte[] bytes = layout.readBlob(childDigest);
                    Files.write(target.resolve(hex(childDigest) + ".manifest.json"), bytes);
                    images.add(JSON.readTree(bytes));
                }
            } else {
                images.add(topJson);
            }
            for (JsonNode image : images) {
                List<JsonNode> blobs = new ArrayList<>();
                blobs.add(image.path("config"));
                image.path("layers").forEach(blobs::add);
                for (JsonNode blob : blobs) {
                    String blobDigest = blob.path("digest").asText();
                    Path copy = target.resolve(hex(blobDigest));
                    if (!Files.exists(copy)) {
                        Files.copy(layout.blobPath(blobDigest), copy);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("exporting " + digest + " for skopeo's dir: transport", e);
        }
    }

    private static String hex(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
