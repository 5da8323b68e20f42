package dev.regctl.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One line of {@code tags --long}: what a tag points to, or why it could not be read.
 *
 * @param platforms the image's platform, or an index's children's; empty when none is named
 * @param size for an image, config plus layers in bytes; null for an index
 * @param created the image config's creation time; null for an index or when absent
 * @param error why the tag could not be read, every field but {@code tag} being null then; null
 *     for a tag that was read
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TagDetail(String tag, String digest, String mediaType, List<String> platforms, Long size, String created,
        String error) {

    static TagDetail unreadable(String tag, String why) {
        return new TagDetail(tag, null, null, null, null, null, why);
    }

    /** False for a tag whose manifest or config could not be read. */
    public boolean readable() {
        return error == null;
    }
}
