package dev.regctl.ops.append;

import dev.regctl.RegctlException;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code append} changes in each platform's image config. Null (or empty) leaves the base's
 * value; env and labels are added to the base's, replacing equal keys.
 *
 * @param entrypoint    the new entrypoint; a new entrypoint also drops the base's cmd, as docker does
 * @param cmd           the new cmd
 * @param env           variables to set, in the order given
 * @param labels        labels to set, in the order given
 * @param user          the new user
 * @param workdir       the new working directory, absolute
 * @param exposedPorts  {@code PORT/tcp} or {@code PORT/udp}, added to the base's
 * @param created       the config's {@code created} and the new history entries' time; null when
 *                      not given, which is {@link #DEFAULT_CREATED}
 */
public record ConfigEdits(List<String> entrypoint, List<String> cmd, Map<String, String> env,
                          Map<String, String> labels, String user, String workdir, List<String> exposedPorts,
                          Instant created) {

    /**
     * The default {@code created}: the epoch, as Jib and ko write, so the same inputs give the
     * same digest on any day. {@code --created now} opts out.
     */
    public static final Instant DEFAULT_CREATED = Instant.EPOCH;
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:/(tcp|udp))?");

    public ConfigEdits {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        exposedPorts = List.copyOf(exposedPorts);
    }

    /** No change. */
    public static ConfigEdits none() {
        return new ConfigEdits(null, null, Map.of(), Map.of(), null, null, List.of(), null);
    }

    /** True when nothing was asked for, {@code --created} included. */
    public boolean isEmpty() {
        return entrypoint == null && cmd == null && env.isEmpty() && labels.isEmpty() && user == null
                && workdir == null && exposedPorts.isEmpty() && created == null;
    }

    /** The time the new config and history entries get. */
    public Instant creationTime() {
        return created == null ? DEFAULT_CREATED : created;
    }

    /**
     * {@code --entrypoint}/{@code --cmd}: a JSON array of strings taken word for word
     * ({@code '["/app","--port","80"]'}, {@code '[]'} to clear), else words split at whitespace.
     */
    public static List<String> words(String option, String value) {
        String v = value.strip();
        if (v.startsWith("[")) {
            return JsonWords.parse(option, v, value.indexOf('['));
        }
        return v.isEmpty() ? List.of() : Arrays.asList(v.split("\\s+"));
    }

    /** Adds {@code K=V} of {@code --env} or {@code --label} to {@code into}; K must be non-empty. */
    public static void put(String option, String keyValue, Map<String, String> into) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new RegctlException(RegctlException.Kind.USAGE, option + " \"" + keyValue + "\": expected KEY=VALUE",
                    eq == 0 ? "the key is empty" : "to set an empty value, write KEY=", null);
        }
        if (keyValue.indexOf('\0') >= 0) {
            throw new RegctlException(RegctlException.Kind.USAGE, option + ": a NUL character cannot be stored");
        }
        into.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }

    /** {@code --expose PORT[/tcp|udp]}, as {@code PORT/PROTO}. */
    public static String port(String value) {
        var m = PORT.matcher(value);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--expose \"" + value + "\": expected PORT[/tcp|udp],"
                    + " PORT from 1 to 65535");
        }
        return Integer.parseInt(m.group(1)) + "/" + (m.group(2) == null ? "tcp" : m.group(2));
    }

    /** {@code --workdir}: an absolute path in the image. */
    public static String workdir(String value) {
        return ImagePaths.normalise(value, "--workdir");
    }

    /** {@code --created}: {@code now}, an RFC 3339 time, or null when not given. */
    public static Instant created(String value, Clock clock) {
        if (value == null) {
            return null;
        }
        if (value.equals("now")) {
            return clock.instant().with(java.time.temporal.ChronoField.NANO_OF_SECOND, 0);
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--created \"" + value
                    + "\": expected now or an RFC 3339 time such as 2024-05-01T12:00:00Z");
        }
    }
}
