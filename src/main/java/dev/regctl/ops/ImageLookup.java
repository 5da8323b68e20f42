package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.store.ImageStore;
import java.util.List;

/** Turns the image a user named into what its store is asked for: the digest or tag given, or the store's only image. */
public final class ImageLookup {

    private ImageLookup() {
    }

    /**
     * What to fetch {@code ref} by in {@code store}. A name without tag or digest means
     * {@code latest} in a registry and, in a layout, its only image; a layout holding several is
     * ambiguous, and the user is told the choices.
     */
    public static String reference(ImageRef ref, ImageStore store) {
        String given = ref.lookup();
        return given != null ? given : onlyTag(store);
    }

    private static String onlyTag(ImageStore store) {
        List<String> tags = store.listTags();
        if (tags.size() == 1) {
            return tags.get(0);
        }
        if (tags.isEmpty()) {
            throw new RegctlException(RegctlException.Kind.NOT_FOUND, store.name() + " has no tagged image");
        }
        throw new RegctlException(RegctlException.Kind.USAGE, store.name() + " holds " + tags.size()
                + " tags; name one as " + store.name() + ":TAG, or use --all-tags",
                "tags: " + String.join(", ", tags.subList(0, Math.min(10, tags.size()))) + (tags.size() > 10 ? ", ..." : ""),
                null);
    }
}
