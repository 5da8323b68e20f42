package dev.regctl.ops.compose;

import dev.regctl.RegctlException;
import dev.regctl.store.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Content the user hands in: a file, or standard input when the argument is {@code -} or absent.
 * Named here once so every composing command words its failures the same way.
 */
public record LocalInput(Path file, InputStream stdin) {

    /** {@code argument} {@code null} or {@code -} means standard input. */
    public static LocalInput of(String argument, InputStream stdin) {
        return argument == null || argument.equals("-") ? new LocalInput(null, stdin) : new LocalInput(Path.of(argument), stdin);
    }

    /** How messages name it. */
    public String name() {
        return file == null ? "standard input" : file.toString();
    }

    /** Opens it; a missing or unreadable file is a USAGE failure naming it. */
    public InputStream open() {
        if (file == null) {
            return stdin;
        }
        if (Files.isDirectory(file)) {
            throw new RegctlException(RegctlException.Kind.USAGE, file + ": a directory, not a file");
        }
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, file + ": no such file");
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, file + ": " + FileErrors.describe(e), null, e);
        }
    }

    /** All of it, refused with USAGE when longer than {@code limit} bytes (read no further than that). */
    public byte[] readAtMost(int limit, String what) {
        try (InputStream in = open()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new RegctlException(RegctlException.Kind.USAGE, name() + ": over " + limit + " bytes, too large for " + what);
            }
            return bytes;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /** A failure while reading it, in words. */
    public RegctlException readFailure(IOException e) {
        return new RegctlException(RegctlException.Kind.FAILURE, "reading " + name() + ": " + FileErrors.describe(e), null,
                new UncheckedIOException(e));
    }
}
