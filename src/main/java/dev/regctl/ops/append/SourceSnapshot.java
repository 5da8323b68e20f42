package dev.regctl.ops.append;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.regctl.RegctlException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Copies of the files of every {@code --add} in append's private scratch directory, taken before
 * the base is pulled: Jib builds the layers from these. Jib reads a layer's files by name, and a
 * name in the user's tree can be made to point elsewhere after {@link SourceFiles} checked it (a
 * link swapped in for the file, or for a directory on its way). Each file is read here once,
 * through a handle opened one path component at a time with no link followed, and only if it is
 * still the file that was checked (same device and inode, still a regular file, just before and
 * just after the open); Jib then reads copies no other user can reach, and every platform gets
 * the same bytes. Streamed to disk, never held in memory.
 */
final class SourceSnapshot {
    private final Consumer<Path> beforeOpen;

    /** @param beforeOpen called with each file just before it is opened: a seam for tests that change the tree there */
    SourceSnapshot(Consumer<Path> beforeOpen) {
        this.beforeOpen = beforeOpen;
    }

    /** The layers as copies in {@code dir}, an empty directory private to this run. */
    public static List<LayerFiles> take(List<LayerFiles> layers, Path dir) {
        return new SourceSnapshot(file -> { }).copy(layers, dir);
    }

    List<LayerFiles> copy(List<LayerFiles> layers, Path dir) {
        List<LayerFiles> copies = new ArrayList<>();
        try {
            for (LayerFiles layer : layers) {
                Path layerDir = Files.createDirectory(dir.resolve(String.valueOf(copies.size())));
                List<LayerFiles.Entry> entries = new ArrayList<>();
                for (LayerFiles.Entry entry : layer.files()) {
                    Path copy = layerDir.resolve(String.valueOf(entries.size()));
                    if (entry.directory()) {
                        Files.createDirectory(copy);
                    } else {
                        copyFile(layer.root(), entry, copy);
                    }
                    entries.add(new LayerFiles.Entry(copy, entry.path(), entry.mode(), entry.directory(), null));
                }
                copies.add(new LayerFiles(layer.name(), layerDir, entries));
            }
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot copy the files to add into "
                    + dir + ": " + e.getMessage(), null, e);
        }
        return copies;
    }

    private void copyFile(Path root, LayerFiles.Entry entry, Path copy) throws IOException {
        try (SeekableByteChannel in = open(root, entry);
             OutputStream out = Files.newOutputStream(copy, CREATE_NEW, WRITE)) {
            Channels.newInputStream(in).transferTo(out);
        }
    }

    /** The entry's file, opened without following any link below the directory that holds {@code root}. */
    private SeekableByteChannel open(Path root, LayerFiles.Entry entry) {
        Path file = entry.source();
        // root's own name is opened no-follow too; above it is the path the user typed.
        Path base = root.getParent() == null ? root : root.getParent();
        List<Path> names = new ArrayList<>();
        base.relativize(file).forEach(names::add);
        try (DirectoryStream<Path> top = Files.newDirectoryStream(base)) {
            if (top instanceof SecureDirectoryStream<Path> dir) {
                return openBelow(dir, names, entry);
            }
            return openByName(entry);
        } catch (SourceChangedException e) {
            throw e.refusal(file);
        } catch (IOException e) {
            throw new SourceChangedException(why(e)).refusal(file);
        }
    }

    /** Each directory named opened relative to the one before with O_NOFOLLOW, the file likewise. */
    private SeekableByteChannel openBelow(SecureDirectoryStream<Path> top, List<Path> names, LayerFiles.Entry entry)
            throws IOException {
        SecureDirectoryStream<Path> dir = top;
        try {
            for (Path name : names.subList(0, names.size() - 1)) {
                SecureDirectoryStream<Path> next = dir.newDirectoryStream(name, NOFOLLOW_LINKS);
                if (dir != top) {
                    dir.close();
                }
                dir = next;
            }
            Path name = names.get(names.size() - 1);
            BasicFileAttributeView view = dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW_LINKS);
            requireSame(view.readAttributes(), entry);
            beforeOpen.accept(entry.source());
            SeekableByteChannel channel = dir.newByteChannel(name, Set.of(READ, NOFOLLOW_LINKS));
            return checkedAfterOpen(channel, () -> view.readAttributes(), entry);
        } finally {
            if (dir != top) {
                dir.close();
            }
        }
    }

    /**
     * Where the platform has no directory handles to open files relative to (not Linux or
     * macOS): the file by its name, no link followed at its last component, and none on its way
     * when checked just before and after.
     */
    private SeekableByteChannel openByName(LayerFiles.Entry entry) throws IOException {
        Path file = entry.source();
        if (!file.toRealPath().equals(file)) {
            throw new SourceChangedException("a link is now on its way");
        }
        requireSame(Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS), entry);
        beforeOpen.accept(file);
        SeekableByteChannel channel = Files.newByteChannel(file, Set.of(READ, NOFOLLOW_LINKS));
        return checkedAfterOpen(channel, () -> {
            if (!file.toRealPath().equals(file)) {
                throw new SourceChangedException("a link is now on its way");
            }
            return Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS);
        }, entry);
    }

    private interface Attributes {
        BasicFileAttributes read() throws IOException;
    }

    /**
     * Java gives no attributes of an open channel; the name is read again right after the open:
     * if it is still the checked file, the open one is it (a link there would have failed the open).
     */
    private static SeekableByteChannel checkedAfterOpen(SeekableByteChannel channel, Attributes now,
                                                        LayerFiles.Entry entry) throws IOException {
        try {
            requireSame(now.read(), entry);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void requireSame(BasicFileAttributes attributes, LayerFiles.Entry entry) throws SourceChangedException {
        if (attributes.isSymbolicLink()) {
            throw new SourceChangedException("it is now a symbolic link");
        }
        if (!attributes.isRegularFile()) {
            throw new SourceChangedException("it is no longer a regular file");
        }
        if (entry.fileKey() != null && !entry.fileKey().equals(attributes.fileKey())) {
            throw new SourceChangedException("another file was put in its place");
        }
    }

    private static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "it is gone";
        }
        if (e instanceof NotDirectoryException) {
            return "a directory on its way is no longer one";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            // ELOOP, "Too many levels of symbolic links": a link where a no-follow open met it.
            return f.getReason().contains("symbolic link") ? "a symbolic link is now in its place or on its way" : f.getReason();
        }
        return e.getMessage();
    }

    /** The file is no longer the one that was checked; thrown as an IOException to cross the opening code. */
    private static final class SourceChangedException extends IOException {
        SourceChangedException(String why) {
            super(why, null);
        }

        RegctlException refusal(Path file) {
            return new RegctlException(RegctlException.Kind.USAGE, "--add: " + file + " changed after it was checked ("
                    + getMessage() + "); refusing to read it", "run again once nothing is changing the files to add", null);
        }
    }
}
