package dev.regctl.ops.prune;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.regctl.oci.Digest;
import java.util.Locale;

/**
 * What prune does with one tag, and why. Field names are the stable JSON contract in docs/commands.md.
 *
 * @param created the image's creation time (ISO-8601), or null when unknown
 * @param reason  a short phrase for people, e.g. {@code among the newest 5}; not for parsing
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PruneDecision(String tag, Digest digest, String created, Action action, String reason) {

    /** The fate of a tag. */
    public enum Action {
        /** The tag stays: it is recent enough, or its age is unknown. */
        KEEP,
        /** Its manifest is deleted, which removes the tag (and any other selected tag on it). */
        DELETE,
        /** It was due for deletion, but its manifest is also used by a tag that stays. */
        SKIP;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean deletes() {
        return action == Action.DELETE;
    }
}
