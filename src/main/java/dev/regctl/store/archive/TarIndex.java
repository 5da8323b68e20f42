package dev.regctl.store.archive;

import dev.regctl.store.BadArchiveException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each member of an uncompressed tar file lies, found by reading only the headers
 * (positioned reads, no extraction): ustar, GNU long names ({@code L}) and PAX extended headers
 * ({@code x}: {@code path}, {@code linkpath} and {@code size}) are understood, and what a link
 * names is kept (GNU long link names too), never followed here. The archive comes from anyone, so
 * a name that is absolute or climbs out with {@code ..}, a name given twice, a header that lies
 * about its checksum or a member that runs past the end of the file is refused outright, and
 * counts and header sizes are bounded.
 */
final class TarIndex {

    static final int BLOCK = 512;
    /** Far more members than any image archive has; bounds what a hostile one makes us hold. */
    static final int MAX_ENTRIES = 100_000;
    /** A PAX header carries a few names and numbers; this is far beyond any real one. */
    private static final int MAX_PAX_BYTES = 1024 * 1024;
    private static final int MAX_NAME_BYTES = 64 * 1024;

    private final Map<String, TarEntry> entries;

    private TarIndex(Map<String, TarEntry> entries) {
        this.entries = entries;
    }

    /** The member called {@code name} (normalised as the index normalises names), if any. */
    Optional<TarEntry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** Every member, in archive order. */
    List<TarEntry> entries() {
        return new ArrayList<>(entries.values());
    }

    /**
     * Reads every header of the tar file.
     *
     * @throws BadArchiveException when the file is no tar, is truncated, or a member is refused
     */
    static TarIndex read(FileChannel file) throws IOException {
        long length = file.size();
        Map<String, TarEntry> entries = new LinkedHashMap<>();
        ByteBuffer header = ByteBuffer.allocate(BLOCK);
        long position = 0;
        String longName = null;
        String longLink = null;
        Long paxSize = null;
        while (true) {
            if (position + BLOCK > length) {
                if (position == length && !entries.isEmpty()) {
                    // No end-of-archive blocks: Go's reader, and so docker's, takes this as the end too.
                    break;
                }
                throw new BadArchiveException(position == 0 ? "not a tar archive: it is empty"
                        : "truncated: the file ends inside a tar header at byte " + length);
            }
            header.clear();
            readFully(file, header, position);
            byte[] h = header.array();
            if (isZero(h)) {
                break;
            }
            checkChecksum(h, position);
            long at = position;
            long data = position + BLOCK;
            char type = (char) (h[156] & 0xff);
            long size = size(h, position);
            if (type == 'x' || type == 'L' || type == 'K') {
                position = data + padded(checkFits(size, at, data, length));
                int limit = type == 'x' ? MAX_PAX_BYTES : MAX_NAME_BYTES;
                if (size > limit) {
                    throw new BadArchiveException("a " + (type == 'x' ? "PAX" : "long-name") + " header at byte "
                            + at + " is " + size + " bytes, over the " + limit + " byte limit");
                }
                ByteBuffer content = ByteBuffer.allocate((int) size);
                readFully(file, content, data);
                if (type == 'L') {
                    longName = cString(content.array(), 0, (int) size);
                } else if (type == 'K') {
                    longLink = cString(content.array(), 0, (int) size);
                } else {
                    Map<String, String> pax = pax(content.array(), at);
                    if (pax.containsKey("path")) {
                        longName = pax.get("path");
                    }
                    if (pax.containsKey("linkpath")) {
                        longLink = pax.get("linkpath");
                    }
                    if (pax.containsKey("size")) {
                        paxSize = parsePaxSize(pax.get("size"), at);
                    }
                }
                continue;
            }
            if (type == 'g') {
                // Global PAX defaults change nothing regctl reads.
                position = data + padded(checkFits(size, at, data, length));
                continue;
            }
            if (paxSize != null) {
                size = paxSize;
            }
            if (isHeaderOnly(type)) {
                // Whatever size it declares, as Go's archive/tar (docker's, skopeo's) reads it: bytes
                // skipped here would be members there, and the two would see different archives.
                size = 0;
            }
            position = data + padded(checkFits(size, at, data, length));
            String name = normalise(longName != null ? longName : ustarName(h));
            String link = longLink != null ? longLink : cString(h, 157, 100);
            longName = null;
            longLink = null;
            paxSize = null;
            TarEntry.Type kind = kind(type);
            if (name.isEmpty()) {
                continue; // the archive's own root, "./"
            }
            TarEntry previous = entries.get(name);
            if (previous != null) {
                if (previous.type() == TarEntry.Type.DIRECTORY && kind == TarEntry.Type.DIRECTORY) {
                    continue;
                }
                throw new BadArchiveException("member \"" + name + "\" appears twice; refusing to guess which is meant");
            }
            if (entries.size() >= MAX_ENTRIES) {
                throw new BadArchiveException("more than " + MAX_ENTRIES + " members; no image archive has that many");
            }
            boolean isLink = kind == TarEntry.Type.SYMLINK || kind == TarEntry.Type.HARD_LINK;
            entries.put(name, new TarEntry(name, kind, data, kind == TarEntry.Type.FILE ? size : 0, isLink ? link : null));
        }
        return new TarIndex(entries);
    }

    /**
     * A member name as a path inside the archive: {@code ./} and empty or {@code .} components
     * dropped, a trailing {@code /} too.
     *
     * @throws BadArchiveException for an absolute name or one with a {@code ..} component
     */
    static String normalise(String raw) throws BadArchiveException {
        if (raw.indexOf('\0') >= 0) {
            throw new BadArchiveException("member name " + quoted(raw) + " contains a NUL byte");
        }
        if (raw.startsWith("/")) {
            throw new BadArchiveException("member " + quoted(raw) + " has an absolute path; refusing the archive");
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new BadArchiveException("member " + quoted(raw) + " climbs out of the archive; refusing the archive");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    private static String quoted(String name) {
        String shown = name.length() > 200 ? name.substring(0, 200) + "..." : name;
        return "\"" + shown.replace("\0", "\\0") + "\"";
    }

    /** The member's size, once it is known to fit in the file. */
    private static long checkFits(long size, long header, long data, long length) throws BadArchiveException {
        if (size > length - data) {
            throw new BadArchiveException("truncated: member at byte " + header + " needs " + size
                    + " bytes, the file ends " + (length - data) + " bytes after its header");
        }
        return size;
    }

    /** Links, devices, directories and FIFOs: their data, if a header declares any, is not theirs. */
    private static boolean isHeaderOnly(char type) {
        return type >= '1' && type <= '6';
    }

    private static TarEntry.Type kind(char type) {
        return switch (type) {
            case '0', '\0', '7' -> TarEntry.Type.FILE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '1' -> TarEntry.Type.HARD_LINK;
            case '2' -> TarEntry.Type.SYMLINK;
            default -> TarEntry.Type.OTHER;
        };
    }

    private static String ustarName(byte[] h) {
        String name = cString(h, 0, 100);
        // Only POSIX ustar has a prefix field; GNU tar keeps other data there.
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == 0;
        if (ustar) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long size(byte[] h, long position) throws BadArchiveException {
        if ((h[124] & 0x80) != 0) {
            // GNU base-256: big-endian in the remaining bytes; a negative size is nonsense.
            if ((h[124] & 0x40) != 0) {
                throw new BadArchiveException("member at byte " + position + " has a negative size");
            }
            long value = h[124] & 0x3f;
            for (int i = 125; i < 136; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    throw new BadArchiveException("member at byte " + position + " has an impossible size");
                }
                value = (value << 8) | (h[i] & 0xff);
            }
            return value;
        }
        return octal(h, 124, 12, "size", position);
    }

    private static long octal(byte[] h, int offset, int length, String field, long position) throws BadArchiveException {
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
            if (h[i] < '0' || h[i] > '7') {
                throw new BadArchiveException("not a tar archive: the header at byte " + position + " has an invalid " + field);
            }
            value = (value << 3) | (h[i] - '0');
        }
        return value;
    }

    private static void checkChecksum(byte[] h, long position) throws BadArchiveException {
        long stored = octal(h, 148, 8, "checksum", position);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        if (stored != unsigned && stored != signed) {
            throw new BadArchiveException(position == 0 ? "not a tar archive (nor gzip, zstd, xz or bzip2 compressed)"
                    : "corrupt tar header at byte " + position + ": its checksum does not match");
        }
    }

    /** The records of a PAX extended header: {@code "<length> <key>=<value>\n"}, repeated. */
    private static Map<String, String> pax(byte[] b, long position) throws BadArchiveException {
        Map<String, String> records = new LinkedHashMap<>();
        int i = 0;
        while (i < b.length && b[i] != 0) {
            int space = i;
            int length = 0;
            while (space < b.length && b[space] >= '0' && b[space] <= '9' && length < MAX_PAX_BYTES) {
                length = length * 10 + (b[space] - '0');
                space++;
            }
            if (space >= b.length || b[space] != ' ' || length <= space - i || i + length > b.length
                    || b[i + length - 1] != '\n') {
                throw new BadArchiveException("corrupt PAX header at byte " + position);
            }
            String record = new String(b, space + 1, i + length - 1 - (space + 1), StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals <= 0) {
                throw new BadArchiveException("corrupt PAX header at byte " + position);
            }
            records.put(record.substring(0, equals), record.substring(equals + 1));
            i += length;
        }
        return records;
    }

    private static long parsePaxSize(String text, long position) throws BadArchiveException {
        try {
            long size = Long.parseLong(text);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new BadArchiveException("PAX header at byte " + position + " has an invalid size");
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** Fills {@code buffer} from {@code position}; a file that ends first is truncated. */
    static void readFully(FileChannel file, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = file.read(buffer, at);
            if (n < 0) {
                throw new BadArchiveException("truncated: the file ends at byte " + at);
            }
            at += n;
        }
    }
}
