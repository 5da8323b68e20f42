package dev.regctl.ops.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * ORAS's annotation file: a JSON object whose {@code $manifest} and {@code $config} keys hold the
 * manifest's and the config's annotations, and whose other keys are layer titles holding that
 * layer's. Every value is a string.
 *
 * @param manifest annotations of the manifest
 * @param config   annotations of the config descriptor
 * @param layers   annotations per layer title
 */
public record AnnotationFile(Map<String, String> manifest, Map<String, String> config, Map<String, Map<String, String>> layers) {
    static final String MANIFEST = "$manifest";
    static final String CONFIG = "$config";

    /** No annotations. */
    public static AnnotationFile none() {
        return new AnnotationFile(Map.of(), Map.of(), Map.of());
    }

    /** Reads the file's bytes; {@code source} names it in messages. */
    public static AnnotationFile parse(byte[] bytes, String source) {
        JsonNode root;
        try {
            root = Json.readTree(bytes);
        } catch (IOException e) {
            throw usage(source, "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw usage(source, "a JSON object of {\"$manifest\": {KEY: VALUE}, \"TITLE\": {KEY: VALUE}} was expected");
        }
        Map<String, String> manifest = Map.of();
        Map<String, String> config = Map.of();
        Map<String, Map<String, String>> layers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, String> values = strings(source, e.getKey(), e.getValue());
            switch (e.getKey()) {
                case MANIFEST -> manifest = values;
                case CONFIG -> config = values;
                default -> layers.put(e.getKey(), values);
            }
        }
        return new AnnotationFile(manifest, config, layers);
    }

    /** Fails when the file names a layer none of {@code titles} is. */
    public void requireLayers(Set<String> titles, String source) {
        for (String title : layers.keySet()) {
            if (!titles.contains(title)) {
                throw new RegctlException(RegctlException.Kind.USAGE, source + ": annotations for \"" + title
                        + "\", which is no file of this artifact", "its keys are $manifest, $config and the files' names: "
                        + String.join(", ", titles), null);
            }
        }
    }

    private static Map<String, String> strings(String source, String key, JsonNode node) {
        if (!node.isObject()) {
            throw usage(source, "\"" + key + "\" must be an object of string annotations");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw usage(source, "\"" + key + "\": the value of " + e.getKey() + " is not a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static RegctlException usage(String source, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, "--annotation-file " + source + ": " + why);
    }
}
