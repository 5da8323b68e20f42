package dev.regctl.http;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A server certificate that certs.d CAs were tried on and none of them signs: the user put a CA
 * where it is read, but not the right one. Carries what a true hint needs.
 */
final class NotSignedByCertsD extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final String peer;
    private final transient List<Path> caFiles;
    private final String issuer;

    NotSignedByCertsD(String peer, List<Path> caFiles, X509Certificate leaf, CertificateException cause) {
        super("the certificate of " + peer + " is signed by none of the CAs in " + caFiles, cause);
        this.peer = peer;
        this.caFiles = List.copyOf(caFiles);
        this.issuer = leaf == null ? null : leaf.getIssuerX500Principal().getName();
    }

    /** The host whose certificate it was (a redirect may have led elsewhere than the registry), or null. */
    String peer() {
        return peer;
    }

    /** The CA files that were tried, in the order read. */
    List<Path> caFiles() {
        return caFiles;
    }

    /** The issuer the server's certificate names (RFC 2253), or null. */
    String issuer() {
        return issuer;
    }
}
