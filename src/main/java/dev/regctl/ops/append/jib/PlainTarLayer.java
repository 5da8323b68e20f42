package dev.regctl.ops.append.jib;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A layer Jib built, written again without the PAX headers Jib adds to pin every time it can:
 * {@code atime}, {@code ctime} and libarchive's {@code LIBARCHIVE.creationtime}, which GNU tar
 * does not know and warns about on every entry ("Ignoring unknown extended header keyword").
 * Jib's tar stream has no option for it. What stays is what a layer means: each entry's name,
 * type, mode, owner and group ids, size, content and its (fixed) modification time, with no user
 * or group names, in Jib's order; so the same files still give the same digest.
 */
final class PlainTarLayer {
    private static final String SHA256 = "sha256";

    private PlainTarLayer() {
    }

    /** The rewritten layer's descriptor (of {@code mediaType}) and its diff id. */
    record Written(Descriptor descriptor, String diffId) {
    }

    /** Writes the gzip'd tar {@code jib} again, plain, into {@code file}. */
    static Written rewrite(InputStream jib, String mediaType, Path file) throws IOException {
        MessageDigest compressed = newSha256();
        MessageDigest uncompressed = newSha256();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(jib));
             DigestOutputStream gzipped = new DigestOutputStream(Files.newOutputStream(file), compressed);
             TarArchiveOutputStream out = new TarArchiveOutputStream(
                     new DigestOutputStream(new GZIPOutputStream(gzipped), uncompressed))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putArchiveEntry(plain(entry));
                if (entry.isFile()) {
                    in.transferTo(out);
                }
                out.closeArchiveEntry();
            }
            out.finish();
        }
        return new Written(new Descriptor(mediaType, digest(compressed), Files.size(file)), digest(uncompressed).toString());
    }

    private static TarArchiveEntry plain(TarArchiveEntry jib) {
        if (!jib.isFile() && !jib.isDirectory()) {
            // SourceFiles refuses links and special files, so Jib cannot have written one.
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: Jib's layer has an entry that is neither"
                    + " a file nor a directory: " + jib.getName());
        }
        TarArchiveEntry entry = new TarArchiveEntry(jib.getName(), jib.isDirectory()
                ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL, true);
        entry.setMode(jib.getMode());
        entry.setUserId(jib.getLongUserId());
        entry.setGroupId(jib.getLongGroupId());
        entry.setSize(jib.isFile() ? jib.getSize() : 0);
        entry.setLastModifiedTime(FileTime.from(jib.getLastModifiedTime().toInstant()));
        return entry;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Digest digest(MessageDigest hasher) {
        return new Digest(SHA256, HexFormat.of().formatHex(hasher.digest()));
    }
}
