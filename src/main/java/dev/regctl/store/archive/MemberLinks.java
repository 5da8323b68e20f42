package dev.regctl.store.archive;

import dev.regctl.store.BadArchiveException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which symbolic links inside an archive are followed, and where to: only a relative link, resolved
 * against its own directory, that stays inside the archive and ends, within {@link #MAX_HOPS}
 * links and without coming back to one it passed, at another member. Absolute links, links that
 * climb out, hard links and links to nothing are refused; nothing outside the archive is ever
 * looked at, since members are only looked up in its index.
 */
final class MemberLinks {

    /** Classic {@code docker save} links a shared layer once; a few hops more cover any real archive. */
    static final int MAX_HOPS = 4;

    private MemberLinks() {
    }

    /**
     * The member {@code entry} leads to: itself unless it is a symbolic link.
     *
     * @param what what the caller wanted it as ("layer", "config"), for messages
     * @throws BadArchiveException when a link on the way is not one to follow
     */
    static TarEntry follow(TarIndex index, TarEntry entry, String what) throws BadArchiveException {
        Set<String> passed = new LinkedHashSet<>();
        TarEntry at = entry;
        while (at.type() == TarEntry.Type.SYMLINK) {
            if (!passed.add(at.name())) {
                throw refused(entry, what, "links in a circle (" + String.join(" -> ", passed) + " -> " + at.name() + ")");
            }
            if (passed.size() > MAX_HOPS) {
                throw refused(entry, what, "goes through more than " + MAX_HOPS + " links");
            }
            String target = resolve(at, entry, what);
            TarEntry next = index.find(target).orElse(null);
            if (next == null) {
                throw refused(entry, what, "is a symbolic link to \"" + at.linkTarget() + "\", which the archive lacks");
            }
            at = next;
        }
        return at;
    }

    /** Where a link points, as a member name: relative to the link's directory, never above the archive's root. */
    private static String resolve(TarEntry link, TarEntry first, String what) throws BadArchiveException {
        String target = link.linkTarget();
        if (target == null || target.isEmpty()) {
            throw refused(first, what, "is a symbolic link to nothing");
        }
        if (target.startsWith("/")) {
            throw refused(first, what, "is a symbolic link to \"" + target + "\", an absolute path;"
                    + " only relative links to another member are followed");
        }
        Deque<String> path = new ArrayDeque<>();
        String name = link.name();
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            for (String part : name.substring(0, slash).split("/")) {
                path.addLast(part);
            }
        }
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (path.isEmpty()) {
                    throw refused(first, what, "is a symbolic link to \"" + target + "\", which points out of the archive");
                }
                path.removeLast();
            } else {
                path.addLast(part);
            }
        }
        return String.join("/", path);
    }

    private static BadArchiveException refused(TarEntry first, String what, String why) {
        return new BadArchiveException(what + " \"" + first.name() + "\" " + why);
    }
}
