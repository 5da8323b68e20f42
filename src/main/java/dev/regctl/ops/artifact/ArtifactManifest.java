package dev.regctl.ops.artifact;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OCI 1.1 artifact as ORAS writes it: an image manifest with an {@code artifactType}, the
 * empty config ({@code {}}) and one layer per file, each titled. Built as bytes before anything
 * is sent, so a dry run prints the digest a push would give.
 */
public final class ArtifactManifest {
    /** A layer's file name, relative to where it is pulled. */
    public static final String TITLE = "org.opencontainers.image.title";
    public static final String CREATED = "org.opencontainers.image.created";
    /** ORAS's mark on a directory packed as tar+gzip: unpack it on pull. */
    public static final String UNPACK = "io.deis.oras.content.unpack";
    /** ORAS's digest of such a layer's tar, before compression. */
    public static final String UNPACK_DIGEST = "io.deis.oras.content.digest";
    /** What ORAS calls an artifact whose type nobody named. */
    public static final String DEFAULT_ARTIFACT_TYPE = "application/vnd.unknown.artifact.v1";

    static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
    /** The empty config: {@code {}}, sha256:44136fa3... */
    public static final Descriptor EMPTY_CONFIG = new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(EMPTY_JSON), EMPTY_JSON.length);

    private ArtifactManifest() {
    }

    /**
     * The manifest's bytes: {@code schemaVersion}, {@code mediaType}, {@code artifactType},
     * {@code config}, {@code layers}, then {@code subject} when given and {@code annotations}
     * when any, annotation keys sorted as Go writes maps.
     *
     * @param subject the manifest this one refers to, or null
     */
    public static RawManifest build(String artifactType, Map<String, String> configAnnotations, List<Descriptor> layers,
                                    Descriptor subject, Map<String, String> annotations) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        root.put("artifactType", artifactType);
        ObjectNode config = descriptor(EMPTY_CONFIG, configAnnotations);
        // As OCI 1.1 suggests for the empty descriptor, and as ORAS writes it: the content inline.
        config.put("data", Base64.getEncoder().encodeToString(EMPTY_JSON));
        root.set("config", config);
        ArrayNode array = root.putArray("layers");
        layers.forEach(layer -> array.add(descriptor(layer, layer.annotations())));
        if (subject != null) {
            root.set("subject", descriptor(subject, null));
        }
        if (annotations != null && !annotations.isEmpty()) {
            ObjectNode notes = root.putObject("annotations");
            new TreeMap<>(annotations).forEach(notes::put);
        }
        try {
            return RawManifest.of(Json.mapper().writeValueAsBytes(root), MediaTypes.OCI_MANIFEST);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot write the artifact manifest: " + e.getMessage(), null, e);
        }
    }

    private static ObjectNode descriptor(Descriptor d, Map<String, String> annotations) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        if (annotations != null && !annotations.isEmpty()) {
            ObjectNode notes = node.putObject("annotations");
            new TreeMap<>(annotations).forEach(notes::put);
        }
        return node;
    }
}
