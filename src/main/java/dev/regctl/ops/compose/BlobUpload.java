package dev.regctl.ops.compose;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.store.FileErrors;
import dev.regctl.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Uploads one blob from a file or standard input, streamed: the digest is computed in a first
 * pass (standard input is spooled to a temporary file for it), then the store is asked for the
 * blob and sent the bytes only when it lacks them. The registry checks the digest on arrival.
 * Given a repository of the same registry that holds the blob, it is mounted from there instead,
 * and the bytes are read only for the digest.
 */
public final class BlobUpload {

    /**
     * What was uploaded; {@code present} when the store had the blob already, so nothing was
     * sent; {@code mountedFrom} the repository it was mounted from (would be, in a dry run), or null.
     */
    public record Result(String repository, String digest, long size, boolean present, String mountedFrom, boolean dryRun) {
    }

    private static final String OCTET_STREAM = "application/octet-stream";

    private final ImageStore store;
    private ImageStore mountSource;
    private String mountFrom;

    public BlobUpload(ImageStore store) {
        this.store = store;
    }

    /**
     * Mounts the blob from {@code repository}, another of the same registry, opened as
     * {@code source}, when it holds it ({@code blob put --mount-from}); uploads it when it does not.
     */
    public BlobUpload mountingFrom(ImageStore source, String repository) {
        this.mountSource = source;
        this.mountFrom = repository;
        return this;
    }

    public Result put(LocalInput input, boolean dryRun) {
        if (input.file() != null) {
            return put(input, input.file(), dryRun);
        }
        Path spool = spool(input);
        try {
            return put(input, spool, dryRun);
        } finally {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException ignored) {
                // A temp file in the system's temp directory; nothing else depends on it going.
            }
        }
    }

    private Result put(LocalInput input, Path file, boolean dryRun) {
        Descriptor blob = describe(input, file);
        if (dryRun) {
            boolean present = store.hasBlob(blob);
            boolean mountable = !present && mountFrom != null && mountSource.hasBlob(blob);
            return new Result(store.name(), blob.digest().toString(), blob.size(), present, mountable ? mountFrom : null, true);
        }
        if (mountFrom != null && store.mountBlob(blob, mountFrom)) {
            return new Result(store.name(), blob.digest().toString(), blob.size(), false, mountFrom, false);
        }
        LocalInput content = new LocalInput(file, null);
        boolean present = !store.putBlobUnlessPresent(blob, content::open);
        return new Result(store.name(), blob.digest().toString(), blob.size(), present, null, false);
    }

    /** {@code file}'s digest and size, read once as it streams; {@code input} names it in failures. */
    public static Descriptor describe(LocalInput input, Path file) {
        MessageDigest sha256 = sha256();
        long size;
        try (InputStream in = new DigestInputStream(new LocalInput(file, null).open(), sha256)) {
            size = in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw input.readFailure(e);
        }
        return new Descriptor(OCTET_STREAM, new Digest("sha256", HexFormat.of().formatHex(sha256.digest())), size);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static Path spool(LocalInput input) {
        Path spool;
        try {
            spool = Files.createTempFile("regctl-blob-", ".tmp");
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "making a temporary file for standard input: "
                    + FileErrors.describe(e), null, new UncheckedIOException(e));
        }
        try (InputStream in = input.open(); OutputStream out = Files.newOutputStream(spool)) {
            in.transferTo(out);
            return spool;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof IOException io ? input.readFailure(io) : (RuntimeException) e;
        }
    }
}
