package dev.regctl.store.archive;

import dev.regctl.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The sha256 of archive members whose names say nothing of their digest, each member hashed
 * once however many layers of however many images name it: an archive listing one big layer
 * thousands of times would otherwise be read thousands of times over.
 */
final class MemberDigests {

    private final ArchiveFile archive;
    private final Map<String, Digest> known = new HashMap<>();

    MemberDigests(ArchiveFile archive) {
        this.archive = archive;
    }

    /** The sha256 of a member's content, read the first time it is asked for. */
    Digest of(TarEntry entry) throws IOException {
        Digest digest = known.get(entry.name());
        if (digest == null) {
            digest = hash(entry);
            known.put(entry.name(), digest);
        }
        return digest;
    }

    /** How many members were read to be hashed. */
    int hashed() {
        return known.size();
    }

    private Digest hash(TarEntry entry) throws IOException {
        MessageDigest hasher;
        try {
            hasher = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = archive.open(entry)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                hasher.update(buffer, 0, n);
            }
        }
        return Digest.parse("sha256:" + HexFormat.of().formatHex(hasher.digest()));
    }
}
