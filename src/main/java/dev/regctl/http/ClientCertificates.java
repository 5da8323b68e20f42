package dev.regctl.http;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Client certificates for mutual TLS, the way docker finds them: a {@code NAME.cert} with its
 * {@code NAME.key} in {@code certs.d/HOST[:PORT]/}. A host is offered its own directory's
 * certificate, else that of the registry the connection is made for (its token realm or blob
 * storage asking), never another registry's.
 */
final class ClientCertificates extends X509ExtendedKeyManager {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final byte[] PKCS8_VERSION = {Der.INTEGER, 0x01, 0x00};
    /** DER prefix turning a PKCS#1 RSA key into PKCS#8: the rsaEncryption algorithm identifier. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** The id-ecPublicKey OID (1.2.840.10045.2.1), which PKCS#8 names EC keys by. */
    private static final byte[] EC_PUBLIC_KEY = {Der.OID, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    /** The context tag of a SEC1 key's {@code [0] parameters}. */
    private static final int PARAMETERS = 0xa0;

    /** A certificate chain and its key, for one host. */
    record Identity(X509Certificate[] chain, PrivateKey key) {
    }

    private final CertsDirs dirs;
    private final String registryDir;

    /**
     * @param registryDir the certs.d name of the registry the connections are made for, whose
     *     certificate is offered to any host that asks; null for requests made for no registry
     */
    ClientCertificates(CertsDirs dirs, String registryDir) {
        this.dirs = dirs;
        this.registryDir = registryDir;
    }

    /** The identity in one certs.d host directory ({@code NAME.cert} with {@code NAME.key}); null if there is none. */
    static Identity read(Path hostDir) {
        if (!Files.isDirectory(hostDir)) {
            return null;
        }
        try (DirectoryStream<Path> certs = Files.newDirectoryStream(hostDir, "*.cert")) {
            for (Path cert : certs) {
                String base = cert.getFileName().toString().replaceFirst("\\.cert$", "");
                Path key = hostDir.resolve(base + ".key");
                if (!Files.exists(key)) {
                    throw new RegctlException(RegctlException.Kind.FAILURE,
                            "client certificate " + cert + " has no key " + key, "put the key beside it", null);
                }
                CertificateFactory cf = CertificateFactory.getInstance("X.509");
                X509Certificate[] chain;
                try (var in = Files.newInputStream(cert)) {
                    chain = cf.generateCertificates(in).toArray(new X509Certificate[0]);
                }
                return new Identity(chain, privateKey(key));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "cannot read client certificate in " + hostDir + ": " + e.getMessage(), null, e);
        }
        return null;
    }

    /**
     * Reads a PEM private key as openssl writes them: PKCS#8 (RSA, EC or Ed25519), PKCS#1 RSA, or
     * SEC1 EC (after the {@code EC PARAMETERS} block {@code openssl ecparam -genkey} puts first).
     */
    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher m = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        boolean found;
        while ((found = m.find()) && m.group(1).equals("EC PARAMETERS")) {
            // the curve is named in the key itself too
        }
        if (!found) {
            throw new GeneralSecurityException(file + " holds no PEM private key");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        byte[] pkcs8 = switch (m.group(1)) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> rsaPkcs1ToPkcs8(der);
            case "EC PRIVATE KEY" -> ecSec1ToPkcs8(file, der);
            default -> throw new GeneralSecurityException(file + ": unsupported key type \"" + m.group(1)
                    + "\"; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        };
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException tryNext) {
                // The PKCS#8 header names the algorithm, but KeyFactory wants it named up front.
            }
        }
        throw new GeneralSecurityException(file + ": not an RSA, EC or Ed25519 private key");
    }

    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        return Der.tlv(Der.SEQUENCE, PKCS8_VERSION, RSA_ALGORITHM, Der.tlv(Der.OCTET_STRING, pkcs1));
    }

    /**
     * SEC1 (RFC 5915) keeps the curve in the key's own {@code [0]} parameters; PKCS#8 wants it in
     * the algorithm identifier, around the unchanged SEC1 structure.
     */
    private static byte[] ecSec1ToPkcs8(Path file, byte[] sec1) throws GeneralSecurityException {
        byte[] curve = null;
        for (Der.Element e : Der.elements(Der.single(sec1, Der.SEQUENCE).contents())) {
            if (e.tag() == PARAMETERS) {
                List<Der.Element> inside = Der.elements(e.contents());
                // Explicit curve parameters (not a name) are as rare as they are unsupported here.
                curve = inside.size() == 1 && inside.get(0).tag() == Der.OID ? inside.get(0).encoded() : null;
            }
        }
        if (curve == null) {
            throw new GeneralSecurityException(file + ": the EC key names no curve; convert it with: "
                    + "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        return Der.tlv(Der.SEQUENCE, PKCS8_VERSION, Der.tlv(Der.SEQUENCE, EC_PUBLIC_KEY, curve),
                Der.tlv(Der.OCTET_STRING, sec1));
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return choose(CertsDirName.match(dirs.names(), socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return choose(CertsDirName.match(dirs.names(), engine));
    }

    /** The peer's own certificate if its directory has one, else the registry's (docker's rule), else none. */
    private String choose(String peerDir) {
        if (dirs.dir(peerDir).identity() != null) {
            return peerDir;
        }
        return dirs.dir(registryDir).identity() != null ? registryDir : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity id = dirs.dir(alias).identity();
        return id == null ? null : id.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity id = dirs.dir(alias).identity();
        return id == null ? null : id.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return dirs.names().stream().filter(n -> dirs.dir(n).identity() != null).toArray(String[]::new);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

}
