package dev.regctl.ops.artifact;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.store.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A directory packed as ORAS packs one for a layer: a tar+gzip whose entries sit under the
 * directory's name ({@code site/}, {@code site/index.html}), made reproducible: entries sorted,
 * owner {@code 0:0} without names, times at the epoch, the gzip header without name or time. So
 * the same tree gives the same digest on every machine. Links and special files are refused, as
 * {@code append} refuses them: what they point to would not travel.
 */
final class DirectoryTar {
    /** Deeper than any real tree; bounds a walk over a hostile or looping one. */
    private static final int MAX_DEPTH = 256;
    private static final FileTime EPOCH = FileTime.fromMillis(0);

    /** The packed layer: its gzip bytes' digest and size, and the digest of the tar inside. */
    record Packed(Digest digest, long size, Digest tarDigest) {
    }

    private record Entry(Path source, String name, boolean directory) {
    }

    private DirectoryTar() {
    }

    /** Packs {@code dir} under {@code name} into {@code out}, a new file. */
    static Packed pack(Path dir, String name, Path out) {
        List<Entry> entries = entries(realPath(dir), name);
        MessageDigest gzipped = Digest.sha256Hasher();
        MessageDigest tar = Digest.sha256Hasher();
        try (OutputStream file = new DigestOutputStream(Files.newOutputStream(out), gzipped);
             TarArchiveOutputStream tarOut = new TarArchiveOutputStream(
                     new DigestOutputStream(new GZIPOutputStream(file), tar))) {
            tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry header = new TarArchiveEntry(e.directory() ? e.name() + "/" : e.name(),
                        e.directory() ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL, true);
                header.setMode(mode(e.source(), e.directory() ? 0755 : 0644));
                header.setUserId(0);
                header.setGroupId(0);
                header.setLastModifiedTime(EPOCH);
                if (e.directory()) {
                    tarOut.putArchiveEntry(header);
                } else {
                    header.setSize(Files.size(e.source()));
                    tarOut.putArchiveEntry(header);
                    try (InputStream in = Files.newInputStream(e.source(), LinkOption.NOFOLLOW_LINKS)) {
                        in.transferTo(tarOut);
                    }
                }
                tarOut.closeArchiveEntry();
            }
            tarOut.finish();
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "packing " + dir + ": " + FileErrors.describe(e), null, e);
        }
        try {
            return new Packed(Digest.sha256(gzipped), Files.size(out), Digest.sha256(tar));
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "packing " + dir + ": " + e.getMessage(), null, e);
        }
    }

    private static List<Entry> entries(Path dir, String name) {
        List<Entry> entries = new ArrayList<>();
        try {
            Files.walkFileTree(dir, Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    entries.add(new Entry(d, entryName(dir, d, name), true));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isDirectory()) {
                        throw refused(dir, file + " is more than " + MAX_DEPTH + " directories deep");
                    }
                    if (attrs.isSymbolicLink()) {
                        throw refused(dir, file + " is a symbolic link, which an artifact does not store");
                    }
                    if (!attrs.isRegularFile()) {
                        throw refused(dir, file + " is not a regular file or directory");
                    }
                    entries.add(new Entry(file, entryName(dir, file, name), false));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    throw refused(dir, "cannot read " + file + ": " + FileErrors.describe(e));
                }
            });
        } catch (IOException e) {
            throw refused(dir, FileErrors.describe(e));
        }
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    /** The directory the user named, its own links resolved: the walk below it follows none. */
    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw refused(dir, FileErrors.describe(e));
        }
    }

    private static String entryName(Path root, Path p, String name) {
        String relative = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        return relative.isEmpty() ? name : name + "/" + relative;
    }

    private static RegctlException refused(Path dir, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, "artifact directory " + dir + ": " + why);
    }

    /** The permission bits on disk; {@code fallback} where the file system has none. */
    private static int mode(Path file, int fallback) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return fallback;
        }
        return PosixModes.of(perms);
    }
}
