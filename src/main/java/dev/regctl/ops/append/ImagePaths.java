package dev.regctl.ops.append;

import dev.regctl.RegctlException;

import java.util.ArrayDeque;
import java.util.Deque;

/** Absolute paths inside an image, as tar entries and config fields name them. */
final class ImagePaths {

    private ImagePaths() {
    }

    /**
     * {@code path} made canonical: absolute, no {@code .}, {@code ..} or empty components. A
     * {@code ..} above the root is refused rather than clamped, since the user surely meant
     * something else.
     */
    static String normalise(String path, String what) {
        if (!path.startsWith("/")) {
            throw new RegctlException(RegctlException.Kind.USAGE, what + ": \"" + path + "\" is not an absolute path in the image");
        }
        if (path.indexOf('\0') >= 0) {
            throw new RegctlException(RegctlException.Kind.USAGE, what + ": the path has a NUL character");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new RegctlException(RegctlException.Kind.USAGE, what + ": \"" + path + "\" climbs above /");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    static String join(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }
}
