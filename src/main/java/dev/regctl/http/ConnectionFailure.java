package dev.regctl.http;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Says why a connection failed in the user's words, on one line: {@code cannot connect to
 * HOST: connection refused}, {@code certificate of HOST is not trusted (unknown authority)}, and
 * what to do about it, truthfully: a CA already where it would be read is named, not asked for.
 * The JDK's and OkHttp's own messages ({@code Failed to connect to /127.0.0.1:5000},
 * {@code PKIX path building failed: sun.security...}, a hostname check spread over five lines)
 * name Java internals and repeat themselves.
 */
public final class ConnectionFailure {
    /** OkHttp's hostname check lists the names the certificate is for on a line of its own. */
    private static final Pattern NAMES = Pattern.compile("subjectAltNames: \\[([^\\]]*)\\]");

    /** What went wrong with TLS, as far as the hint is concerned. */
    private enum Cause { PLAIN_HTTP, CA_DOES_NOT_SIGN, UNKNOWN_AUTHORITY, OTHER_NAME, EXPIRED, OTHER }

    private record Tls(Cause cause, String words, NotSignedByCertsD notSigned) {
    }

    private ConnectionFailure() {
    }

    /** The failure to reach {@code host}, or null when {@code e} is neither a refused connection nor TLS. */
    public static String describe(String host, IOException e) {
        if (e instanceof ConnectException) {
            return "cannot connect to " + host + ": " + reason(e);
        }
        if (e instanceof SSLException tls) {
            return classify(host, tls).words();
        }
        return null;
    }

    /**
     * What to do about a failed TLS connection to {@code host} ({@code HOST[:PORT]} as certs.d
     * names it), or null when nothing useful can be said.
     *
     * @param whose whose CA is missing, as in "add the registry's CA"
     * @param insecureHelps whether {@code --insecure} would let this host through
     */
    public static String hint(String host, SSLException e, String whose, boolean insecureHelps) {
        Tls tls = classify(host, e);
        String orInsecure = insecureHelps ? ", or use --insecure" : "";
        return switch (tls.cause()) {
            case PLAIN_HTTP -> insecureHelps ? "if it is meant to, use --insecure to talk plain HTTP to it"
                    : "its URL says https://, but the server there speaks plain HTTP";
            case CA_DOES_NOT_SIGN -> {
                Path dir = tls.notSigned().caFiles().get(0).getParent();
                String issuer = tls.notSigned().issuer();
                yield (issuer == null ? "put the CA that signs it" : "the certificate of " + whoseCertificate(host, tls.notSigned())
                        + " is issued by \""
                        + issuer + "\": put that CA") + " in " + dir + "/" + (insecureHelps ? " (or use --insecure)" : "");
            }
            case UNKNOWN_AUTHORITY -> "add the " + whose + " CA to /etc/docker/certs.d/" + host + "/ca.crt" + orInsecure;
            case OTHER_NAME -> insecureHelps ? "use a name the certificate is for, or --insecure" : null;
            case EXPIRED, OTHER -> insecureHelps ? "use --insecure to skip verification" : null;
        };
    }

    private static Tls classify(String host, SSLException e) {
        if (e instanceof SSLPeerUnverifiedException && e.getMessage() != null) {
            Matcher names = NAMES.matcher(e.getMessage());
            if (names.find()) {
                return new Tls(Cause.OTHER_NAME, "certificate of " + host + " is for "
                        + (names.group(1).isBlank() ? "no host name" : names.group(1)), null);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertificateExpiredException) {
                return new Tls(Cause.EXPIRED, "certificate of " + host + " has expired", null);
            }
            if (t instanceof RegctlException unreadable) {
                return new Tls(Cause.OTHER, unreadable.getMessage(), null); // a certs.d file read during the handshake
            }
            if (t instanceof NotSignedByCertsD notSigned && !expired(notSigned)) {
                String files = notSigned.caFiles().stream().map(Path::toString).collect(Collectors.joining(", "));
                String peer = whoseCertificate(host, notSigned);
                return new Tls(Cause.CA_DOES_NOT_SIGN, (notSigned.caFiles().size() == 1 ? "the CA in " + files + " does not"
                        : "none of the CAs in " + files) + " sign the certificate of " + peer, notSigned);
            }
            if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
                return new Tls(Cause.OTHER_NAME, "certificate of " + host + " is for another host", null);
            }
            if (t instanceof CertPathValidatorException || message.contains("PKIX path")
                    || message.contains("unable to find valid certification path")) {
                return new Tls(Cause.UNKNOWN_AUTHORITY, "certificate of " + host + " is not trusted (unknown authority)", null);
            }
            if (message.startsWith("Unsupported or unrecognized SSL message") || message.contains("plaintext connection")) {
                // The JDK's words when the first bytes back are no TLS record: an HTTP answer to our hello.
                return new Tls(Cause.PLAIN_HTTP, host + " speaks plain HTTP, not HTTPS", null);
            }
        }
        return new Tls(Cause.OTHER, "TLS with " + host + " failed: " + reason(e), null);
    }

    /** {@code host}, or the other host the certificate came from: a redirect may have led off the registry. */
    private static String whoseCertificate(String host, NotSignedByCertsD notSigned) {
        return notSigned.peer() == null || Loopback.hostOnly(host).equals(notSigned.peer()) ? host : notSigned.peer();
    }

    private static boolean expired(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return true;
            }
        }
        return false;
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
