package dev.regctl.store.archive;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.regctl.store.BadArchiveException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads zstd through the reference library (zstd-jni), which decodes the long windows that
 * {@code zstd --long} writes, up to {@link #MAX_WINDOW_LOG}. This class alone names zstd-jni, so
 * its native library is unpacked and loaded only when a zstd archive is read, never at start-up.
 */
final class ZstdDecoder {

    /** 128 MiB, what {@code zstd --long} uses by default: a frame asking for more is refused, not allocated. */
    static final int MAX_WINDOW_LOG = 27;

    /** zstd-jni's system property for where it unpacks its native library before loading it. */
    private static final String NATIVE_DIRECTORY = "ZstdTempFolder";

    private ZstdDecoder() {
    }

    /**
     * A stream of what {@code compressed} decompresses to, every frame of it. A frame whose window
     * is over the bound fails its read with a {@link BadArchiveException} saying how to recompress it.
     *
     * @param scratch where the native library may be unpacked, unless the user said elsewhere: the
     *                directory the archive is decompressed into, so {@code TMPDIR} holds for both
     * @throws IOException when the native library cannot be loaded
     */
    static InputStream open(InputStream compressed, Path scratch) throws IOException {
        if (System.getProperty(NATIVE_DIRECTORY) == null) {
            System.setProperty(NATIVE_DIRECTORY, scratch.toAbsolutePath().toString());
        }
        try {
            return new WindowBound(new ZstdInputStreamNoFinalizer(compressed).setLongMax(MAX_WINDOW_LOG));
        } catch (LinkageError e) {
            throw new IOException("cannot load the zstd decoder's native library (" + firstLine(e)
                    + "); set TMPDIR to a directory that allows running programs", e);
        }
    }

    /** Says, in one line, what a window over the bound is and what to do about it. */
    private static final class WindowBound extends FilterInputStream {

        WindowBound(InputStream zstd) {
            super(zstd);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (ZstdIOException e) {
                if (e.getErrorCode() != Zstd.errFrameParameterWindowTooLarge()) {
                    throw e;
                }
                throw new BadArchiveException("cannot decompress it: it was compressed with a window over "
                        + (1 << (MAX_WINDOW_LOG - 20)) + " MiB (zstd --long=" + (MAX_WINDOW_LOG + 1)
                        + " or more), which regctl does not read; recompress it with --long=" + MAX_WINDOW_LOG
                        + " or less (zstd -d --long=31 -c FILE | zstd --long=" + MAX_WINDOW_LOG + " -o NEW.tar.zst)");
            }
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }
}
