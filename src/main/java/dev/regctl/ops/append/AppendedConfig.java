package dev.regctl.ops.append;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The config of an appended image, written from the base's own JSON: every field the user did
 * not change stays as the base had it, in its place, including those no image builder's model
 * holds ({@code StopSignal}, {@code Healthcheck}, {@code Shell}, {@code OnBuild},
 * {@code variant}, {@code os.version}, and whatever other tools wrote). Jib's config could not
 * serve: it keeps only the fields Jib knows, and sorts {@code Env}. What Jib contributes is what
 * it alone knows, the added layers' diff ids and history entries.
 */
public final class AppendedConfig {
    private static final String RUN = "config";

    private AppendedConfig() {
    }

    /**
     * @param base    the base image's config, as stored
     * @param edits   the user's changes
     * @param diffIds the added layers' uncompressed digests, in order
     * @param history the added layers' history entries, in order
     */
    public static byte[] write(byte[] base, ConfigEdits edits, List<String> diffIds, List<? extends JsonNode> history) {
        ObjectNode config = parse(base);
        config.put("created", edits.creationTime().toString());
        if (needsRunConfig(edits)) {
            edit(object(config, RUN), edits);
        }
        if (!diffIds.isEmpty()) {
            ObjectNode rootfs = object(config, "rootfs");
            if (!rootfs.has("type")) {
                rootfs.put("type", "layers");
            }
            ArrayNode ids = array(rootfs, "diff_ids");
            diffIds.forEach(ids::add);
        }
        if (!history.isEmpty()) {
            array(config, "history").addAll(List.copyOf(history));
        }
        try {
            return Json.mapper().writeValueAsBytes(config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean needsRunConfig(ConfigEdits edits) {
        return edits.entrypoint() != null || edits.cmd() != null || !edits.env().isEmpty() || !edits.labels().isEmpty()
                || edits.user() != null || edits.workdir() != null || !edits.exposedPorts().isEmpty();
    }

    private static void edit(ObjectNode run, ConfigEdits edits) {
        if (edits.entrypoint() != null) {
            strings(run, "Entrypoint", edits.entrypoint());
            if (edits.cmd() == null) {
                // As docker's ENTRYPOINT does: the base's arguments were meant for the base's entrypoint.
                run.remove("Cmd");
            }
        }
        if (edits.cmd() != null) {
            strings(run, "Cmd", edits.cmd());
        }
        if (!edits.env().isEmpty()) {
            setEnv(array(run, "Env"), edits.env());
        }
        if (!edits.labels().isEmpty()) {
            ObjectNode labels = object(run, "Labels");
            edits.labels().forEach(labels::put);
        }
        if (edits.user() != null) {
            run.put("User", edits.user());
        }
        if (edits.workdir() != null) {
            run.put("WorkingDir", edits.workdir());
        }
        if (!edits.exposedPorts().isEmpty()) {
            ObjectNode ports = object(run, "ExposedPorts");
            for (String port : edits.exposedPorts()) {
                if (!ports.has(port)) {
                    ports.putObject(port);
                }
            }
        }
    }

    /**
     * Each {@code K=V} replaces the base's {@code K} where it stands (every occurrence, should the
     * base list one twice), or goes after the base's variables, in the order given: the order a
     * shell's expansion or a later duplicate may depend on is the base's.
     */
    private static void setEnv(ArrayNode env, Map<String, String> edits) {
        edits.forEach((key, value) -> {
            String entry = key + "=" + value;
            boolean replaced = false;
            for (int i = 0; i < env.size(); i++) {
                String existing = env.get(i).asText();
                int eq = existing.indexOf('=');
                if ((eq < 0 ? existing : existing.substring(0, eq)).equals(key)) {
                    env.set(i, entry);
                    replaced = true;
                }
            }
            if (!replaced) {
                env.add(entry);
            }
        });
    }

    private static void strings(ObjectNode parent, String field, List<String> values) {
        ArrayNode array = parent.putArray(field);
        values.forEach(array::add);
    }

    private static ObjectNode parse(byte[] base) {
        try {
            if (Json.readTree(base) instanceof ObjectNode config) {
                return config;
            }
        } catch (IOException e) {
            throw invalid("it is not JSON");
        }
        throw invalid("it is not a JSON object");
    }

    /** {@code parent.field}, created when absent or null. */
    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return parent.putObject(field);
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw invalid(field + " is not an object");
    }

    private static ArrayNode array(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return parent.putArray(field);
        }
        if (node instanceof ArrayNode array) {
            return array;
        }
        throw invalid(field + " is not an array");
    }

    private static RegctlException invalid(String why) {
        return new RegctlException(RegctlException.Kind.UNSUPPORTED, "append: the base's image config cannot be edited: " + why);
    }
}
