package dev.regctl.ops.artifact;

import dev.regctl.oci.Digest;
import dev.regctl.store.BadArchiveException;
import dev.regctl.store.ExpansionLimits;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks an ORAS directory layer (tar+gzip, entries under the layer's title) into an empty
 * directory, trusting nothing in it: an entry must stay under the title, be a directory, a
 * regular file, a symbolic link whose target stays inside the unpacked tree, or a hard link to a
 * file unpacked before it; devices, FIFOs and anything else are refused. No entry is written
 * through a link: each directory on its way is checked to be a real one, and files are created
 * new ({@code O_EXCL}), so a link the tar made is never followed by a later entry.
 */
final class TarUnpack {

    /** The tar is not what an unpackable layer may hold; the message says why. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final Path root;
    private final List<String> title;
    private final ExpansionLimits limits;
    private final Map<Path, Integer> directoryModes = new LinkedHashMap<>();

    /**
     * @param root  the empty directory to unpack into; it stands for the title's own entry
     * @param title  the title's parts, which every entry's name starts with
     * @param limits how far the layer may expand, as an archive may
     */
    TarUnpack(Path root, List<String> title, ExpansionLimits limits) {
        this.root = root;
        this.title = title;
        this.limits = limits;
    }

    /**
     * Reads {@code gzip} to its end, unpacking it.
     *
     * @param tarDigest the digest the tar inside must have (ORAS's {@code io.deis.oras.content.digest}), or null
     */
    void unpack(InputStream gzip, Digest tarDigest) throws IOException, Refused {
        MessageDigest hasher = tarDigest == null ? Digest.sha256Hasher() : tarDigest.newHasher();
        Counting compressed = new Counting(gzip, null);
        try (InputStream tarBytes = new DigestInputStream(new Counting(new GZIPInputStream(compressed), compressed), hasher);
             TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entry(e, tar);
            }
            // The tar's end-of-archive blocks count for its digest, and the blob's digest is checked at its end.
            tarBytes.transferTo(OutputStream.nullOutputStream());
            gzip.transferTo(OutputStream.nullOutputStream());
        } catch (BadArchiveException e) {
            throw new Refused("its tar+gzip " + e.getMessage());
        }
        if (tarDigest != null && !tarDigest.matches(hasher)) {
            throw new Refused("its tar is not the " + tarDigest + " its " + ArtifactManifest.UNPACK_DIGEST + " annotation names");
        }
        applyDirectoryModes();
    }

    private void entry(TarArchiveEntry e, InputStream content) throws IOException, Refused {
        List<String> inside = inside(e.getName(), "entry");
        Path path = resolve(inside);
        if (e.isDirectory()) {
            if (!inside.isEmpty()) {
                parent(inside);
                if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(path);
                }
            }
            directoryModes.put(path, e.getMode());
            return;
        }
        if (inside.isEmpty()) {
            throw new Refused("tar entry \"" + e.getName() + "\" is the title's own entry but not a directory");
        }
        parent(inside);
        if (e.isSymbolicLink()) {
            requireLinkInside(e, inside);
            Files.createSymbolicLink(path, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
            Path target = resolve(inside(e.getLinkName(), "hard link target of \"" + e.getName() + "\""));
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new Refused("tar entry \"" + e.getName() + "\" is a hard link to \"" + e.getLinkName()
                        + "\", which is no file unpacked before it");
            }
            Files.createLink(path, target);
        } else if (isRegularFile(e)) {
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.transferTo(out);
            }
            setMode(path, e.getMode());
        } else {
            throw new Refused("tar entry \"" + e.getName() + "\" is " + kind(e) + ", which an artifact may not unpack");
        }
    }

    /** The parts of {@code name} below the title; refused when it is not under it or leaves it. */
    private List<String> inside(String name, String what) throws Refused {
        if (name.startsWith("/")) {
            throw new Refused("tar " + what + " \"" + name + "\" is an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new Refused("tar " + what + " \"" + name + "\" leads out with ..");
            }
            if (part.indexOf('\0') >= 0) {
                throw new Refused("tar " + what + " \"" + name + "\" holds a NUL");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        if (parts.size() < title.size() || !parts.subList(0, title.size()).equals(title)) {
            throw new Refused("tar " + what + " \"" + name + "\" is not under " + String.join("/", title) + "/");
        }
        return parts.subList(title.size(), parts.size());
    }

    private Path resolve(List<String> inside) {
        Path path = root;
        for (String part : inside) {
            path = path.resolve(part);
        }
        return path;
    }

    /** Makes the directories above {@code inside}, each a real directory, never a link. */
    private void parent(List<String> inside) throws IOException, Refused {
        Path path = root;
        for (String part : inside.subList(0, inside.size() - 1)) {
            path = path.resolve(part);
            if (Files.isSymbolicLink(path)) {
                throw new Refused("tar entry \"" + String.join("/", title) + "/" + String.join("/", inside)
                        + "\" would be written through the symbolic link " + String.join("/", title) + "/" + root.relativize(path));
            }
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(path);
            } else if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new Refused("tar entry \"" + String.join("/", title) + "/" + String.join("/", inside)
                        + "\" is below a file");
            }
        }
    }

    /** A symbolic link's target, read from where the link is, must stay inside the unpacked tree. */
    private void requireLinkInside(TarArchiveEntry e, List<String> inside) throws Refused {
        String target = e.getLinkName();
        if (target.isEmpty() || target.startsWith("/")) {
            throw new Refused("tar entry \"" + e.getName() + "\" is a symbolic link to \"" + target + "\", outside the directory");
        }
        List<String> at = new ArrayList<>(inside.subList(0, inside.size() - 1));
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (at.isEmpty()) {
                    throw new Refused("tar entry \"" + e.getName() + "\" is a symbolic link to \"" + target
                            + "\", outside the directory");
                }
                at.remove(at.size() - 1);
            } else if (!part.isEmpty() && !part.equals(".")) {
                at.add(part);
            }
        }
    }

    /**
     * Counts what is read through it; the decompressed side checks the expansion limits against
     * the compressed side on every read, so a bomb stops within a buffer of the limit.
     */
    private final class Counting extends FilterInputStream {
        private final Counting compressed;
        private long count;

        Counting(InputStream in, Counting compressed) {
            super(in);
            this.compressed = compressed;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(long n) throws BadArchiveException {
            count += n;
            if (compressed != null) {
                limits.check(count, compressed.count);
            }
        }
    }

    /** By its type flag alone: commons-compress's isFile() also says true for devices and FIFOs. */
    private static boolean isRegularFile(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        return flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM || flag == TarArchiveEntry.LF_CONTIG;
    }

    private static String kind(TarArchiveEntry e) {
        if (e.isCharacterDevice() || e.isBlockDevice()) {
            return "a device";
        }
        if (e.isFIFO()) {
            return "a FIFO";
        }
        return "of tar type '" + (char) e.getLinkFlag() + "'";
    }

    /** Directories get their modes last, so a read-only one is still filled first. */
    private void applyDirectoryModes() throws IOException {
        List<Path> deepestFirst = new ArrayList<>(directoryModes.keySet());
        java.util.Collections.reverse(deepestFirst);
        for (Path dir : deepestFirst) {
            setMode(dir, directoryModes.get(dir) | 0700);
        }
    }

    private static void setMode(Path path, int mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view != null) {
            view.setPermissions(PosixModes.permissions(mode));
        }
    }
}
