package dev.regctl.ops.append.jib;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What regctl takes from the config Jib writes: only the history entries of the layers it added
 * (the rest of the config is the base's, see
 * {@link dev.regctl.ops.append.AppendedConfig}). Jib signs each of those history entries
 * {@code "author": "Jib"}, a tool the user never ran: they are credited to regctl instead.
 */
final class JibConfig {
    static final String AUTHOR = "regctl";
    private static final String JIB = "Jib";

    private final JsonNode tree;
    private final int added;

    private JibConfig(JsonNode tree, int added) {
        this.tree = tree;
        this.added = added;
    }

    /** Jib's config of an image with {@code added} new layers. */
    static JibConfig read(byte[] config, int added) {
        try {
            return new JibConfig(Json.readTree(config), added);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot read Jib's config: " + e.getMessage(), null, e);
        }
    }

    /** The added layers' history entries, in order, credited to regctl. */
    List<ObjectNode> addedHistory() {
        List<ObjectNode> entries = new ArrayList<>();
        for (JsonNode entry : last(tree.path("history"), "history")) {
            if (!(entry instanceof ObjectNode)) {
                throw new RegctlException(RegctlException.Kind.FAILURE, "append: Jib's config has a history entry that is not an object");
            }
            ObjectNode copy = (ObjectNode) entry.deepCopy();
            if (JIB.equals(copy.path("author").asText(null))) {
                copy.put("author", AUTHOR);
            }
            entries.add(copy);
        }
        return entries;
    }

    private List<JsonNode> last(JsonNode array, String what) {
        if (!array.isArray() || array.size() < added) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: Jib's config has " + array.size() + " "
                    + what + " entries, fewer than the " + added + " layers added");
        }
        List<JsonNode> tail = new ArrayList<>();
        for (int i = array.size() - added; i < array.size(); i++) {
            tail.add(array.get(i));
        }
        return tail;
    }
}
