package dev.regctl.store.ocidir;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.store.FileErrors;
import dev.regctl.store.LocalTarget;
import dev.regctl.store.LocalWriteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A directory as an OCI image layout: what makes one ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256}), checked before it is opened and written when it is created, never
 * through a link.
 */
final class LayoutDirectory {

    static final String LAYOUT_FILE = "oci-layout";
    private static final byte[] LAYOUT_CONTENT =
            "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    /** oci-layout holds one short JSON object; anything near this size is not one. */
    private static final int MAX_LAYOUT_FILE_BYTES = 64 * 1024;

    private LayoutDirectory() {
    }

    /**
     * Checks that {@code dir} is a layout regctl will read: a directory with a valid oci-layout
     * file and an index.json that is a regular file.
     *
     * @return the directory's real path
     * @throws RegctlException NOT_FOUND when {@code dir} is not an OCI image layout
     */
    static Path requireLayout(String name, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": no such directory");
        }
        checkLayoutFile(name, dir);
        try {
            LayoutFiles.regularFile(dir.resolve(IndexFile.NAME));
            return dir.toRealPath();
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": not an OCI image layout: no " + IndexFile.NAME + " file");
        } catch (RefusedFileException e) {
            throw LayoutErrors.refused(name, dir, e);
        } catch (IOException e) {
            throw LayoutErrors.failure(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the layout at {@code dir}, directories included, or adds the files it lacks. Refuses
     * a directory that has other files but no layout, so a mistyped path does not scatter layout
     * files among them.
     */
    static void make(String name, Path dir) {
        LocalTarget.requireDirectory(name, dir);
        try {
            Files.createDirectories(dir);
            Path layoutFile = dir.resolve(LAYOUT_FILE);
            Path indexFile = dir.resolve(IndexFile.NAME);
            // Not following links: a link in either place is refused by open(), not written through.
            if (!Files.exists(layoutFile, NOFOLLOW_LINKS) && !Files.exists(indexFile, NOFOLLOW_LINKS) && !isEmpty(dir)) {
                throw new RegctlException(Kind.USAGE,
                        name + ": directory is not empty and is not an OCI image layout",
                        "copy to a new or empty directory", null);
            }
            requireUsable(name, dir);
            // oci-layout first: its presence is what marks a half-made layout as ours to finish.
            if (!Files.exists(layoutFile, NOFOLLOW_LINKS)) {
                AtomicFiles.write(layoutFile, LAYOUT_CONTENT);
            }
            synchronized (IndexFile.lockOf(dir.toRealPath())) {
                if (!Files.exists(indexFile, NOFOLLOW_LINKS)) {
                    AtomicFiles.write(indexFile, LayoutIndex.empty().toBytes());
                }
            }
            LayoutFiles.makeDirectory(dir.resolve("blobs"));
            LayoutFiles.makeDirectory(dir.resolve("blobs").resolve("sha256"));
        } catch (RefusedFileException e) {
            throw LayoutErrors.refused(name, dir, e);
        } catch (IOException e) {
            throw LocalWriteException.of(name + ": cannot create OCI image layout", e);
        }
    }

    private static void checkLayoutFile(String name, Path dir) {
        try {
            JsonNode tree = Json.readTree(LayoutFiles.readAll(dir.resolve(LAYOUT_FILE), MAX_LAYOUT_FILE_BYTES));
            if (tree == null || !tree.path("imageLayoutVersion").isTextual()) {
                throw new RegctlException(Kind.FAILURE,
                        name + ": invalid " + LAYOUT_FILE + " file: no imageLayoutVersion");
            }
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": not an OCI image layout: no " + LAYOUT_FILE + " file");
        } catch (RefusedFileException e) {
            throw LayoutErrors.refused(name, dir, e);
        } catch (IOException e) {
            throw LayoutErrors.failure(name + ": invalid " + LAYOUT_FILE + " file: " + FileErrors.describe(e), e);
        }
    }

    /**
     * Checks what a layout being created already has (a valid oci-layout, index.json a regular
     * file, blobs directories that are directories) before anything is written, so a layout
     * that open() would refuse is left exactly as it was found.
     */
    private static void requireUsable(String name, Path dir) throws IOException {
        if (Files.exists(dir.resolve(LAYOUT_FILE), NOFOLLOW_LINKS)) {
            checkLayoutFile(name, dir);
        }
        if (Files.exists(dir.resolve(IndexFile.NAME), NOFOLLOW_LINKS)) {
            LayoutFiles.regularFile(dir.resolve(IndexFile.NAME));
        }
        Path blobs = dir.resolve("blobs");
        if (Files.exists(blobs, NOFOLLOW_LINKS)) {
            LayoutFiles.directory(blobs);
            if (Files.exists(blobs.resolve("sha256"), NOFOLLOW_LINKS)) {
                LayoutFiles.directory(blobs.resolve("sha256"));
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
