package dev.regctl.ops.copy;

import dev.regctl.ops.Parallel;
import dev.regctl.store.ImageStore;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The tags of both sides of a repository copy ({@code copy --all-tags}, a sync entry), read once
 * and handed to everything that decides by them.
 *
 * @param atSource the source's tags, as it lists them
 * @param atTarget the target's tags, or null when it will not list them (each image is then asked about)
 */
public record TagLists(List<String> atSource, Set<String> atTarget) {

    /** Both lists at once: at a distance, each is a round trip or more. */
    public static TagLists read(ImageStore source, ImageStore target) {
        Supplier<Set<String>> atTarget = Parallel.started(() -> target.knownTags().orElse(null));
        return new TagLists(source.listTags(), atTarget.get());
    }
}
