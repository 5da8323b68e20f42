package dev.regctl.store.ocidir;

import dev.regctl.store.FileTrees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The temporary files this process is writing (into layouts, archives' directories, an artifact
 * pull's directory), and the temporary directories it is filling. When the process is interrupted
 * (SIGINT, SIGTERM), a shutdown hook removes them, directories with everything in them, so an
 * interrupted run leaves no partial files behind; the rename that would have published them can
 * then no longer happen.
 */
public final class LiveTempFiles {

    private static final Set<Path> LIVE = new LinkedHashSet<>();
    private static boolean hookInstalled;
    private static boolean shuttingDown;

    private LiveTempFiles() {
    }

    /**
     * Records a temporary file about to be made. The hook is installed with the first one, so
     * commands that never write a layout never have it.
     *
     * @throws IOException when the process is already shutting down: no new file is started then
     */
    public static synchronized void track(Path temp) throws IOException {
        if (shuttingDown) {
            throw new IOException("interrupted: not starting " + temp.getFileName());
        }
        if (!hookInstalled) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(LiveTempFiles::shutDown, "layout-temp-cleanup"));
            } catch (IllegalStateException e) {
                throw new IOException("interrupted: not starting " + temp.getFileName(), e);
            }
            hookInstalled = true;
        }
        LIVE.add(temp);
    }

    /** Forgets a temporary file that was renamed into place or removed. */
    public static synchronized void untrack(Path temp) {
        LIVE.remove(temp);
    }

    /**
     * Removes every temporary file and directory still being written. Their writers may still be
     * running (the JVM does not stop threads for shutdown hooks); they fail when they come to
     * write below a removed directory, or to rename.
     */
    static void deleteAll() {
        List<Path> live;
        synchronized (LiveTempFiles.class) {
            live = new ArrayList<>(LIVE);
            LIVE.clear();
        }
        for (Path temp : live) {
            try {
                FileTrees.delete(temp);
            } catch (IOException | RuntimeException e) {
                // Nothing more to do while exiting; the next write into the layout removes it.
            }
        }
    }

    private static void shutDown() {
        synchronized (LiveTempFiles.class) {
            shuttingDown = true;
        }
        deleteAll();
    }
}
