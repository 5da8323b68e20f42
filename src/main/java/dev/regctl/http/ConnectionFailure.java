package dev.regctl.http;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Says why a connection failed in the user's words, on one line: {@code cannot connect to
 * HOST: connection refused}, {@code certificate of HOST is not trusted (unknown authority)}.
 * The JDK's and OkHttp's own messages ({@code Failed to connect to /127.0.0.1:5000},
 * {@code PKIX path building failed: sun.security...}, a hostname check spread over five lines)
 * name Java internals and repeat themselves.
 */
public final class ConnectionFailure {
    /** OkHttp's hostname check lists the names the certificate is for on a line of its own. */
    private static final Pattern NAMES = Pattern.compile("subjectAltNames: \\[([^\\]]*)\\]");

    private ConnectionFailure() {
    }

    /** The failure to reach {@code host}, or null when {@code e} is neither a refused connection nor TLS. */
    public static String describe(String host, IOException e) {
        if (e instanceof ConnectException) {
            return "cannot connect to " + host + ": " + reason(e);
        }
        if (e instanceof SSLException tls) {
            return certificate(host, tls);
        }
        return null;
    }

    private static String certificate(String host, SSLException e) {
        if (e instanceof SSLPeerUnverifiedException && e.getMessage() != null) {
            Matcher names = NAMES.matcher(e.getMessage());
            if (names.find()) {
                return "certificate of " + host + " is for " + (names.group(1).isBlank() ? "no host name" : names.group(1));
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertificateExpiredException) {
                return "certificate of " + host + " has expired";
            }
            if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
                return "certificate of " + host + " is for another host";
            }
            if (t instanceof CertPathValidatorException || message.contains("PKIX path")
                    || message.contains("unable to find valid certification path")) {
                return "certificate of " + host + " is not trusted (unknown authority)";
            }
        }
        return "TLS with " + host + " failed: " + reason(e);
    }

    /** The innermost cause's message, lower-case first and on one line: what the system said. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root == e && message.startsWith("Failed to connect to")) {
            return "connection failed";
        }
        String line = message.lines().findFirst().orElse("").replaceAll("\\s*\\(.*\\)$", "").trim();
        return line.isEmpty() ? "" : line.substring(0, 1).toLowerCase(Locale.ROOT) + line.substring(1);
    }
}
