package dev.regctl.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One line of {@code tags --long}.
 *
 * @param size for an image, config plus layers in bytes; null for an index
 * @param created the image config's creation time; null for an index or when absent
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TagDetail(String tag, String digest, String mediaType, List<String> platforms, Long size, String created) {
}
