package dev.regctl.ops.sync;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.regctl.RegctlException;

/**
 * One image of a sync report; field names are the {@code -o json} contract documented in docs/commands.md.
 *
 * @param source       the source image, null for a pruned tag
 * @param target       the target image
 * @param sourceDigest what the source tag pointed to, null when not known
 * @param targetDigest what the target tag points to now (after a prune: what it pointed to)
 * @param action       {@code copied}, {@code skipped}, {@code pruned} or {@code failed}; in a
 *                     dry run {@code copy}, {@code skip}, {@code prune} or {@code fail}
 * @param bytes        blob bytes uploaded for it
 * @param seconds      how long it took
 * @param error        why it failed, else null
 * @param failure      the kind of failure, null unless it failed; not part of the JSON, it decides the exit code
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"source", "target", "sourceDigest", "targetDigest", "action", "bytes", "seconds", "error"})
public record SyncItem(String source, String target, String sourceDigest, String targetDigest, String action,
                       long bytes, double seconds, String error, @JsonIgnore RegctlException.Kind failure) {

    public static final String COPIED = "copied";
    public static final String SKIPPED = "skipped";
    public static final String PRUNED = "pruned";
    public static final String FAILED = "failed";

    public boolean failed() {
        return FAILED.equals(action) || "fail".equals(action);
    }
}
