package dev.regctl.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.regctl.RegctlException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest such as {@code sha256:<64 hex>}, validated on construction. */
public record Digest(String algorithm, String hex) {

    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        Pattern p = switch (algorithm) {
            case "sha256" -> SHA256;
            case "sha512" -> SHA512;
            default -> throw new RegctlException(RegctlException.Kind.USAGE,
                    "unsupported digest algorithm \"" + algorithm + "\": use sha256 or sha512");
        };
        if (!p.matcher(hex).matches()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid " + algorithm + " digest \""
                    + hex + "\": expected " + (p == SHA256 ? 64 : 128) + " lower-case hex characters");
        }
    }

    /**
     * True when {@code reference} is meant as a digest rather than a tag: the one rule. It goes by
     * the algorithms regctl knows, not by the colon, since a layout's ref.name may hold colons too
     * ({@code docker.io/library/hello:1.0}).
     */
    public static boolean isDigest(String reference) {
        return reference != null && (reference.startsWith("sha256:") || reference.startsWith("sha512:"));
    }

    /** Parses {@code algorithm:hex}; also how JSON's digest strings become digests. */
    @JsonCreator
    public static Digest parse(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new RegctlException(RegctlException.Kind.USAGE,
                    "invalid digest \"" + s + "\": expected sha256:<64 hex characters>");
        }
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    /** The sha256 digest of the given bytes. */
    public static Digest sha256(byte[] bytes) {
        return new Digest("sha256", HexFormat.of().formatHex(hasher("sha256").digest(bytes)));
    }

    /** A fresh sha256 hasher, for content whose digest is computed while it streams. */
    public static MessageDigest sha256Hasher() {
        return hasher("sha256");
    }

    /** The sha256 digest a finished {@link #sha256Hasher()} holds. */
    public static Digest sha256(MessageDigest finishedHasher) {
        return new Digest("sha256", HexFormat.of().formatHex(finishedHasher.digest()));
    }

    /** A fresh hasher for this digest's algorithm, for verifying streamed content. */
    public MessageDigest newHasher() {
        return new BlockAlignedHasher(hasher(algorithm), algorithm.equals("sha256") ? 64 : 128);
    }

    /** True when the finished hasher's result equals this digest. */
    public boolean matches(MessageDigest finishedHasher) {
        return hex.equals(HexFormat.of().formatHex(finishedHasher.digest()));
    }

    /** True when {@code bytes} hash to this digest (with this digest's algorithm). */
    public boolean isDigestOf(byte[] bytes) {
        return hex.equals(HexFormat.of().formatHex(newHasher().digest(bytes)));
    }

    private static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
