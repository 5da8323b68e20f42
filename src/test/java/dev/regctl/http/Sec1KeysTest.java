package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EC client keys in the SEC1 form ({@code EC PRIVATE KEY}) that openssl and docker use. */
class Sec1KeysTest {
    /** The DER of the named-curve OIDs, as a SEC1 key's parameters carry them. */
    static final byte[] P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    static final byte[] P384 = {0x06, 0x05, 0x2b, (byte) 0x81, 0x04, 0x00, 0x22};

    @TempDir
    Path dir;

    /** {@code key} as {@code openssl ecparam -genkey} writes it: the curve's parameters, then the SEC1 key. */
    static String sec1Pem(ECPrivateKey key, byte[] curveOid) {
        int size = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        byte[] sec1 = tlv(0x30, new byte[] {0x02, 0x01, 0x01}, tlv(0x04, unsigned(key.getS(), size)),
                tlv(0xa0, curveOid));
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
        return "-----BEGIN EC PARAMETERS-----\n" + b64.encodeToString(curveOid) + "\n-----END EC PARAMETERS-----\n"
                + "-----BEGIN EC PRIVATE KEY-----\n" + b64.encodeToString(sec1) + "\n-----END EC PRIVATE KEY-----\n";
    }

    private static byte[] unsigned(BigInteger n, int size) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[size];
        int from = Math.max(0, raw.length - size);
        System.arraycopy(raw, from, out, size - (raw.length - from), raw.length - from);
        return out;
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        out.write(body.size()); // every key here is shorter than 128 bytes
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private ECPrivateKey generate(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return (ECPrivateKey) g.generateKeyPair().getPrivate();
    }

    private ECPrivateKey read(ECPrivateKey original, byte[] oid) throws Exception {
        Path file = dir.resolve("client.key");
        Files.writeString(file, sec1Pem(original, oid));
        return (ECPrivateKey) ClientCertificates.privateKey(file);
    }

    @Test
    void readsAP256Key() throws Exception {
        ECPrivateKey original = generate("secp256r1");
        ECPrivateKey read = read(original, P256);
        assertEquals(original.getS(), read.getS());
        assertEquals(original.getParams().getCurve(), read.getParams().getCurve());
    }

    @Test
    void readsAP384Key() throws Exception {
        ECPrivateKey original = generate("secp384r1");
        ECPrivateKey read = read(original, P384);
        assertEquals(original.getS(), read.getS());
        assertEquals(original.getParams().getCurve(), read.getParams().getCurve());
    }

    @Test
    void aKeyThatNamesNoCurveIsAClearError() throws Exception {
        Path file = dir.resolve("client.key");
        String pem = sec1Pem(generate("secp256r1"), P256);
        String keyOnly = pem.substring(pem.indexOf("-----BEGIN EC PRIVATE KEY"));
        byte[] der = Base64.getMimeDecoder().decode(keyOnly.replaceAll("-----[A-Z ]+-----", ""));
        // Cut the [0] parameters off and fix the outer length.
        byte[] bare = Arrays.copyOf(der, der.length - P256.length - 2);
        bare[1] = (byte) (bare.length - 2);
        Files.writeString(file, "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(bare)
                + "\n-----END EC PRIVATE KEY-----\n");
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> ClientCertificates.privateKey(file));
        assertTrue(e.getMessage().contains("names no curve"), e.getMessage());
    }
}
