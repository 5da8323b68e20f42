package dev.regctl.ops.copy;

import dev.regctl.oci.ImageRef;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;

/**
 * The two stores of a copy, opened through the session: the source to read, the target to
 * create images in. Closing closes both.
 */
public record CopyStores(ImageStore source, ImageStore target) implements AutoCloseable {

    /** Opens both; when the target cannot be opened, the source is closed again. */
    public static CopyStores open(Session session, ImageRef source, ImageRef target) {
        ImageStore from = session.open(source, Session.Access.READ);
        try {
            return new CopyStores(from, session.open(target, Session.Access.CREATE));
        } catch (RuntimeException e) {
            from.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try (ImageStore s = source; ImageStore t = target) {
            // try-with-resources closes both, even when one fails
        }
    }
}
