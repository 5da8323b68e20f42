package dev.regctl.ops.append.jib;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;

import java.io.IOException;

/**
 * Jib signs the history entry of every layer it adds {@code "author": "Jib"}; in an image built
 * by {@code regctl append} that names a tool the user never ran. The entries are credited to
 * regctl instead, the base's own history left as it was.
 */
final class HistoryAuthor {
    static final String AUTHOR = "regctl";
    private static final String JIB = "Jib";

    private HistoryAuthor() {
    }

    /**
     * The config with the last {@code added} history entries, those of the layers just added,
     * credited to regctl; the same bytes when there are none to change.
     */
    static byte[] credit(byte[] config, int added) {
        if (added == 0) {
            return config;
        }
        try {
            JsonNode tree = Json.readTree(config);
            JsonNode history = tree.path("history");
            if (!history.isArray() || history.size() < added) {
                throw new RegctlException(RegctlException.Kind.FAILURE, "append: Jib's config has "
                        + history.size() + " history entries, fewer than the " + added + " layers added");
            }
            for (int i = history.size() - added; i < history.size(); i++) {
                if (history.get(i) instanceof ObjectNode entry && JIB.equals(entry.path("author").asText(null))) {
                    entry.put("author", AUTHOR);
                }
            }
            return Json.mapper().writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot read Jib's config: " + e.getMessage(), null, e);
        }
    }
}
