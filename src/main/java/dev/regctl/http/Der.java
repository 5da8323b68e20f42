package dev.regctl.http;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER to re-wrap the private key forms openssl writes (PKCS#1, SEC1) as the PKCS#8
 * the JDK reads: single-byte tags and definite lengths.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;

    /** One element: its tag, its whole encoding and the contents inside the header. */
    record Element(int tag, byte[] encoded, byte[] contents) {
    }

    private Der() {
    }

    /** An element of {@code tag} whose contents are the given encodings, one after another. */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = body.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** The elements {@code der} holds one after another (e.g. the contents of a SEQUENCE). */
    static List<Element> elements(byte[] der) throws GeneralSecurityException {
        List<Element> out = new ArrayList<>();
        int at = 0;
        while (at < der.length) {
            if (der.length - at < 2) {
                throw new GeneralSecurityException("truncated DER");
            }
            int tag = der[at] & 0xff;
            int first = der[at + 1] & 0xff;
            int header = 2;
            long length = first;
            if (first >= 0x80) {
                int bytes = first & 0x7f;
                if (bytes == 0 || bytes > 3 || der.length - at < 2 + bytes) {
                    throw new GeneralSecurityException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[at + 2 + i] & 0xff);
                }
                header += bytes;
            }
            if (length > der.length - at - header) {
                throw new GeneralSecurityException("truncated DER");
            }
            int end = at + header + (int) length;
            out.add(new Element(tag, Arrays.copyOfRange(der, at, end), Arrays.copyOfRange(der, at + header, end)));
            at = end;
        }
        return out;
    }

    /** The one element {@code der} must consist of, with the given tag. */
    static Element single(byte[] der, int tag) throws GeneralSecurityException {
        List<Element> all = elements(der);
        if (all.size() != 1 || all.get(0).tag() != tag) {
            throw new GeneralSecurityException("unexpected DER structure");
        }
        return all.get(0);
    }
}
