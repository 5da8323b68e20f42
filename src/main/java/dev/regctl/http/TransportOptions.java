package dev.regctl.http;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * How the one HTTP client of a run is configured.
 *
 * @param insecure skip TLS verification and allow plain HTTP for any host
 * @param trace where {@code --verbose} writes the HTTP trace, or null for none
 * @param certsDirs roots of docker's {@code certs.d} layout ({@code DIR/HOST[:PORT]/*.crt}),
 *     searched in order
 */
public record TransportOptions(boolean insecure, PrintWriter trace, List<Path> certsDirs) {

    /** The certs.d roots docker reads: the system one, then the user's. */
    public static List<Path> defaultCertsDirs(Path dockerConfigDir) {
        return List.of(Path.of("/etc/docker/certs.d"), dockerConfigDir.resolve("certs.d"));
    }
}
