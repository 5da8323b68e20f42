package dev.regctl.image;

import dev.regctl.oci.ImageRef;
import dev.regctl.store.ImageStore;

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
        return given != null ? given : store.onlyImage();
    }

}
