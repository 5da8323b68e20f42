package dev.regctl.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token issuer's RSA key and self-signed certificate, made by the JDK's keytool so the
 * registry verifies tokens against a certificate produced by ordinary tooling, not by our code.
 * Signs RS256 JWTs whose header carries the certificate ({@code x5c}) and the libtrust key id.
 */
final class TokenSigningKey {

    private static final String ALIAS = "token-issuer";
    private static final String PASSWORD_ENV = "REGCTL_IT_STOREPASS";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final String keyId;

    private TokenSigningKey(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.keyId = libtrustKeyId(certificate.getPublicKey().getEncoded());
    }

    /** Generates a fresh key pair in a PKCS12 store under {@code dir} with keytool. */
    static TokenSigningKey generate(Path dir) {
        Path store = dir.resolve("issuer.p12");
        char[] password = randomPassword();
        // The store password reaches keytool through its environment, never its argv, where any
        // user on the machine could read it from the process table.
        Command.run(List.of(ExternalTools.keytool().toString(), "-genkeypair",
                        "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                        "-storetype", "PKCS12", "-keystore", store.toString(),
                        "-storepass:env", PASSWORD_ENV,
                        "-dname", "CN=regctl integration test token issuer", "-validity", "7", "-noprompt"),
                Map.of(PASSWORD_ENV, new String(password)), Duration.ofSeconds(60));
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            PrivateKey key = (PrivateKey) keyStore.getKey(ALIAS, password);
            X509Certificate cert = (X509Certificate) keyStore.getCertificate(ALIAS);
            return new TokenSigningKey(key, cert);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the key store keytool wrote", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("reading the key store keytool wrote", e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Writes the certificate as PEM: the registry's {@code auth.token.rootcertbundle}. */
    void writeCertificatePem(Path file) {
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encoding the issuer certificate", e);
        }
    }

    /** A compact RS256 JWS over {@code claims}. */
    String sign(Map<String, Object> claims) {
        try {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.put("kid", keyId);
            header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate.getEncoded())));
            String signingInput = base64Url(JSON.writeValueAsBytes(header)) + "." + base64Url(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rsa.sign());
        } catch (IOException e) {
            throw new UncheckedIOException("serialising a JWT", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing a JWT", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The key id format the token spec requires: SHA-256 of the DER public key, cut to 240 bits,
     * base32 encoded and grouped by four with colons (docker's libtrust fingerprint).
     */
    static String libtrustKeyId(byte[] derPublicKey) {
        byte[] hash;
        try {
            hash = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(derPublicKey), 30);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder base32 = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : hash) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                base32.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < base32.length(); i += 4) {
            if (i > 0) {
                id.append(':');
            }
            id.append(base32, i, i + 4);
        }
        return id.toString();
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }
}
