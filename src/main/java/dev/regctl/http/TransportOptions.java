package dev.regctl.http;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How the one HTTP client of a run is configured.
 *
 * @param insecure skip TLS verification and allow plain HTTP for any host
 * @param trace where {@code --verbose} writes the HTTP trace, or null for none
 * @param certsDirs roots of docker's {@code certs.d} layout ({@code DIR/HOST[:PORT]/*.crt}),
 *     searched in order
 * @param plainHttp hosts already known to speak plain HTTP, so no HTTPS attempt is made first
 *     (loopback test registries; the rule in {@link Transport#baseUrl} still applies to others)
 */
public record TransportOptions(boolean insecure, PrintWriter trace, List<Path> certsDirs, Set<String> plainHttp) {

    public TransportOptions(boolean insecure, PrintWriter trace, List<Path> certsDirs) {
        this(insecure, trace, certsDirs, Set.of());
    }

    /** The certs.d roots docker reads: the system one, then the user's. */
    public static List<Path> defaultCertsDirs(Path dockerConfigDir) {
        return List.of(Path.of("/etc/docker/certs.d"), dockerConfigDir.resolve("certs.d"));
    }
}
