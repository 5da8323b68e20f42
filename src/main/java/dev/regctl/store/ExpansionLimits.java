package dev.regctl.store;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a compressed archive is decompressed to, and how far it may expand there: a few
 * kilobytes of zstd can expand to terabytes, so the copy is bounded in size and, once it is big,
 * in how much it grew per compressed byte. {@code docker save | gzip} of real images expands a
 * few times over; only an archive that is mostly zeros comes near the default ratio. A directory
 * layer {@code artifact pull} unpacks expands within the same limits.
 *
 * @param directory where the temporary copy goes: {@code $TMPDIR}, else {@code java.io.tmpdir}
 * @param maxBytes  the most the copy may grow to
 * @param maxRatio  the most it may grow per compressed byte, once past {@code ratioFrom}
 * @param ratioFrom the size up to which any ratio is taken: small archives of zeros are harmless
 * @param maxMemory the most memory a decompressor may ask for (xz's dictionary), so that an archive
 *                  that asks for more is refused rather than ending in an OutOfMemoryError
 */
public record ExpansionLimits(Path directory, long maxBytes, long maxRatio, long ratioFrom, long maxMemory) {

    /** Limits with a decompressor's memory bounded by half the heap, the rest being for everything else. */
    public ExpansionLimits(Path directory, long maxBytes, long maxRatio, long ratioFrom) {
        this(directory, maxBytes, maxRatio, ratioFrom, Runtime.getRuntime().maxMemory() / 2);
    }

    static final String MAX_SIZE_VARIABLE = "REGCTL_ARCHIVE_MAX_SIZE";
    static final String MAX_RATIO_VARIABLE = "REGCTL_ARCHIVE_MAX_RATIO";
    static final long DEFAULT_MAX_BYTES = 64L << 30;
    static final long DEFAULT_MAX_RATIO = 100;
    static final long DEFAULT_RATIO_FROM = 1L << 30;

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,18}) ?([KMGT]?)(?:I?B)?");
    private static final String UNITS = "KMGT";

    /**
     * The limits the environment sets: {@code TMPDIR}, {@code REGCTL_ARCHIVE_MAX_SIZE} (bytes, or
     * with a unit: {@code 500MiB}, {@code 64GiB}, {@code 1TiB}) and {@code REGCTL_ARCHIVE_MAX_RATIO}.
     *
     * @throws RegctlException USAGE when a variable holds something else
     */
    public static ExpansionLimits fromEnvironment(Map<String, String> env) {
        String tmp = env.get("TMPDIR");
        Path directory = Path.of(tmp == null || tmp.isEmpty() ? System.getProperty("java.io.tmpdir") : tmp);
        long maxBytes = variable(env, MAX_SIZE_VARIABLE, DEFAULT_MAX_BYTES, ExpansionLimits::parseSize,
                "a size such as 64GiB, 500MiB or a number of bytes");
        long maxRatio = variable(env, MAX_RATIO_VARIABLE, DEFAULT_MAX_RATIO, ExpansionLimits::parseRatio,
                "a whole number such as 100 (decompressed bytes per compressed byte)");
        return new ExpansionLimits(directory, maxBytes, maxRatio, Math.min(DEFAULT_RATIO_FROM, maxBytes));
    }

    /**
     * Refuses a copy grown to {@code written} bytes from {@code read} compressed ones.
     *
     * @throws BadArchiveException when it grew past a limit, naming the variable that raises it
     */
    public void check(long written, long read) throws BadArchiveException {
        if (written > maxBytes) {
            throw new BadArchiveException("refusing to decompress it past " + describe(maxBytes)
                    + "; if the archive is genuine, raise " + MAX_SIZE_VARIABLE);
        }
        if (written > ratioFrom && written / Math.max(1, read) > maxRatio) {
            throw new BadArchiveException("refusing to decompress it: past " + describe(ratioFrom)
                    + " it grew over " + maxRatio + " times its compressed size, as decompression bombs do;"
                    + " if the archive is genuine, raise " + MAX_RATIO_VARIABLE);
        }
    }

    private static long variable(Map<String, String> env, String name, long fallback, ToLongFunction<String> parser, String expected) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        long value = parser.applyAsLong(text.trim().toUpperCase(Locale.ROOT));
        if (value <= 0) {
            throw new RegctlException(Kind.USAGE, name + "=\"" + text + "\" is not " + expected);
        }
        return value;
    }

    /** Bytes, or a count of KiB, MiB, GiB or TiB; 0 when it is no such size. */
    private static long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return 0;
        }
        long value = Long.parseLong(m.group(1));
        int shift = m.group(2).isEmpty() ? 0 : 10 * (UNITS.indexOf(m.group(2)) + 1);
        return value > (Long.MAX_VALUE >> shift) ? 0 : value << shift;
    }

    private static long parseRatio(String text) {
        return text.matches("[0-9]{1,9}") ? Long.parseLong(text) : 0;
    }

    /** A limit as people write it: {@code 64 GiB}, else in bytes. */
    private static String describe(long bytes) {
        for (int i = UNITS.length(); i > 0; i--) {
            long unit = 1L << (10 * i);
            if (bytes % unit == 0) {
                return bytes / unit + " " + UNITS.charAt(i - 1) + "iB";
            }
        }
        return bytes + " bytes";
    }
}
