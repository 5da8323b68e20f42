package dev.regctl.ops.compose;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.store.ImageStore;
import dev.regctl.store.LocalWriteException;
import dev.regctl.store.WholeFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fetches one blob by digest, verified while it streams. Into a file, the bytes go to a temporary
 * sibling renamed into place only once they matched, so a mismatch leaves no file behind.
 */
public final class BlobDownload {

    /** What was fetched; {@code file} is null when written to a stream. */
    public record Result(String repository, String digest, long size, String file) {
    }

    private static final String OCTET_STREAM = "application/octet-stream";

    private final ImageStore store;

    public BlobDownload(ImageStore store) {
        this.store = store;
    }

    /** The blob's descriptor, asked before anything is written: a missing blob is NOT_FOUND and makes no file. */
    public Descriptor find(Digest digest) {
        return new Descriptor(OCTET_STREAM, digest, store.blobSize(digest));
    }

    /** Writes the blob to {@code out}; on a mismatch, what was written stays written and the failure says so. */
    public Result toStream(Descriptor blob, OutputStream out) {
        try (InputStream in = store.openBlob(blob)) {
            in.transferTo(out);
            out.flush();
        } catch (IOException e) {
            throw LocalWriteException.of("blob get " + blob.digest() + " from " + store.name(), e);
        }
        return new Result(store.name(), blob.digest().toString(), blob.size(), null);
    }

    /** Writes the blob to {@code file}, replacing what is there only with bytes that matched. */
    public Result toFile(Descriptor blob, Path file) {
        if (Files.isDirectory(file)) {
            throw new RegctlException(RegctlException.Kind.USAGE, file + ": a directory",
                    "name a file in it, e.g. " + file.resolve(blob.digest().hex()), null);
        }
        try {
            WholeFile.write(file, out -> {
                try (InputStream in = store.openBlob(blob)) {
                    in.transferTo(out);
                }
            });
        } catch (IOException e) {
            throw LocalWriteException.of("blob get " + blob.digest() + " into " + file, e);
        }
        return new Result(store.name(), blob.digest().toString(), blob.size(), file.toString());
    }
}
