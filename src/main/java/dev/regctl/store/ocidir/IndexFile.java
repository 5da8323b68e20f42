package dev.regctl.store.ocidir;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.store.FileErrors;
import dev.regctl.store.LocalWriteException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToIntFunction;

/**
 * A layout's {@code index.json} as a file: read afresh for every question, so another process's
 * changes are seen, and rewritten atomically. Updates are serialized within this process only,
 * since nothing locks the directory against other programs.
 */
final class IndexFile {

    static final String NAME = "index.json";

    /**
     * One lock per layout directory, shared by every store opened on it in this process (copy
     * from a layout into itself opens two), so concurrent index.json rewrites cannot lose entries.
     */
    private static final ConcurrentMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final LayoutContent content;
    private final LayoutErrors errors;
    private final Path file;
    private final Object lock;

    /** The index of a layout directory, whose real path keys its lock. */
    IndexFile(LayoutContent content, LayoutErrors errors, Path dir, Path realDir) {
        this.content = content;
        this.errors = errors;
        this.file = dir.resolve(NAME);
        this.lock = lockOf(realDir);
    }

    /** The index of a layout read from elsewhere, which is never written. */
    IndexFile(LayoutContent content, LayoutErrors errors) {
        this.content = content;
        this.errors = errors;
        this.file = null;
        this.lock = new Object();
    }

    /** The lock of the layout at {@code realDir}, for whatever writes its index.json. */
    static Object lockOf(Path realDir) {
        return LOCKS.computeIfAbsent(realDir, d -> new Object());
    }

    LayoutIndex read() {
        try {
            return LayoutIndex.parse(content.index());
        } catch (NoSuchFileException e) {
            throw new RegctlException(Kind.NOT_FOUND, errors.name() + ": not an OCI image layout: no " + NAME + " file");
        } catch (RefusedFileException e) {
            throw errors.refused(e);
        } catch (IOException e) {
            throw LayoutErrors.failure(errors.name() + ": cannot read " + NAME + ": " + FileErrors.describe(e), e);
        }
    }

    /**
     * Applies {@code change} to a fresh read of index.json and, when it reports changes, writes
     * the result atomically. Readers take no lock: the rename shows them the old or the new file.
     * The caller has passed {@link LayoutWrites#begin}.
     *
     * @return the number of changes {@code change} reported
     */
    int update(ToIntFunction<LayoutIndex> change) {
        synchronized (lock) {
            LayoutIndex index = read();
            int changes = change.applyAsInt(index);
            if (changes > 0) {
                try {
                    AtomicFiles.write(file, index.toBytes());
                } catch (IOException e) {
                    throw LocalWriteException.of(errors.name() + ": cannot write " + NAME, e);
                }
            }
            return changes;
        }
    }
}
