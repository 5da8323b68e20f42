package dev.regctl.http;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How the one HTTP client of a run is configured.
 *
 * @param insecure skip TLS verification for the run's registries, and allow them plain HTTP
 * @param trace where {@code --verbose} writes the HTTP trace, or null for none
 * @param certsDirs roots of docker's {@code certs.d} layout ({@code DIR/HOST[:PORT]/*.crt}),
 *     searched in order
 * @param plainHttp hosts already known to speak plain HTTP, so no HTTPS attempt is made first
 *     (loopback test registries; the rule in {@link Transport#baseUrl} still applies to others)
 * @param idleLimit how long any request may wait for the next byte to read or write
 * @param answerDeadline how long a whole request may take, body included, unless it is tagged
 *     {@link Transfer#BULK}
 * @param insecureHosts hosts configured insecure whatever {@code insecure} says (registries.conf),
 *     asked for only when the first of them is needed
 */
public record TransportOptions(boolean insecure, PrintWriter trace, List<Path> certsDirs, Set<String> plainHttp,
        Duration idleLimit, Duration answerDeadline, Supplier<Set<String>> insecureHosts) {

    /** A server silent this long on a connection in use is not coming back soon. */
    public static final Duration DEFAULT_IDLE_LIMIT = Duration.ofSeconds(30);
    /** Manifests, tag lists, tokens and pings are small: a minute is ample on any link. */
    public static final Duration DEFAULT_ANSWER_DEADLINE = Duration.ofSeconds(60);

    public TransportOptions {
        Objects.requireNonNull(insecureHosts, "insecureHosts");
        if (idleLimit.isNegative() || idleLimit.isZero() || answerDeadline.isNegative() || answerDeadline.isZero()) {
            throw new IllegalArgumentException("time limits must be positive");
        }
    }

    public TransportOptions(boolean insecure, PrintWriter trace, List<Path> certsDirs, Set<String> plainHttp,
            Duration idleLimit, Duration answerDeadline) {
        this(insecure, trace, certsDirs, plainHttp, idleLimit, answerDeadline, Set::of);
    }

    public TransportOptions(boolean insecure, PrintWriter trace, List<Path> certsDirs, Set<String> plainHttp) {
        this(insecure, trace, certsDirs, plainHttp, DEFAULT_IDLE_LIMIT, DEFAULT_ANSWER_DEADLINE);
    }

    public TransportOptions(boolean insecure, PrintWriter trace, List<Path> certsDirs) {
        this(insecure, trace, certsDirs, Set.of());
    }

    /** These options with other time limits. */
    public TransportOptions withTimeLimits(Duration idle, Duration deadline) {
        return new TransportOptions(insecure, trace, certsDirs, plainHttp, idle, deadline, insecureHosts);
    }

    /** These options with {@code hosts} insecure too. */
    public TransportOptions withInsecureHosts(Supplier<Set<String>> hosts) {
        return new TransportOptions(insecure, trace, certsDirs, plainHttp, idleLimit, answerDeadline, hosts);
    }

    /** The certs.d roots docker reads: the system one, then the user's. */
    public static List<Path> defaultCertsDirs(Path dockerConfigDir) {
        return List.of(Path.of("/etc/docker/certs.d"), dockerConfigDir.resolve("certs.d"));
    }
}
