package dev.regctl.ops.sync;

import dev.regctl.RegctlException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of N parts of a sync file, split by target repository: a repository belongs to the shard
 * its name's SHA-256 falls in, so N processes anywhere agree on the split without talking to
 * each other, no repository is written by two, and any shard can be rerun alone.
 *
 * @param index from 0
 * @param count how many shards there are
 */
public record Shard(int index, int count) {
    /** The variable a Kubernetes Indexed Job sets to each pod's index. */
    public static final String INDEX_VARIABLE = "JOB_COMPLETION_INDEX";
    private static final Pattern K_OF_N = Pattern.compile("(?:(\\d{1,6})?/)?(\\d{1,6})");

    /** The whole file. */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--shard " + index + "/" + count
                    + ": K must be from 0 to N-1 and N at least 1");
        }
    }

    /**
     * Parses {@code K/N}; {@code N} or {@code /N} alone take K from {@code JOB_COMPLETION_INDEX}, so
     * the same command line runs in every pod of an Indexed Job. Null means the whole file.
     */
    public static Shard parse(String text, Map<String, String> env) {
        if (text == null) {
            return ALL;
        }
        Matcher m = K_OF_N.matcher(text.trim());
        if (!m.matches()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--shard \"" + text + "\" is not K/N (e.g. 0/3)");
        }
        String k = m.group(1);
        if (k == null) {
            k = env.get(INDEX_VARIABLE);
            if (k == null || !k.matches("\\d{1,6}")) {
                throw new RegctlException(RegctlException.Kind.USAGE, "--shard " + text + " leaves K to "
                        + INDEX_VARIABLE + ", which is " + (k == null ? "not set" : "\"" + k + "\""),
                        "give --shard K/N, or run it as a Kubernetes Indexed Job", null);
            }
        }
        return new Shard(Integer.parseInt(k), Integer.parseInt(m.group(2)));
    }

    /** True when {@code targetRepository} (registry and path, e.g. {@code registry.internal/mirror/alpine}) is in this shard. */
    public boolean takes(String targetRepository) {
        if (count == 1) {
            return true;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(targetRepository.getBytes(StandardCharsets.UTF_8));
            long first = ByteBuffer.wrap(hash).getLong() >>> 1; // non-negative, and the same on every machine
            return first % count == index;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
