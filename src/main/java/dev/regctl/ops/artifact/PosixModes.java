package dev.regctl.ops.artifact;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Permission bits as a tar header holds them ({@code 0755}) and as NIO names them. */
final class PosixModes {
    private static final PosixFilePermission[] ORDER = PosixFilePermission.values();

    private PosixModes() {
    }

    /** {@code rwxr-xr-x} as {@code 0755}. */
    static int of(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    /** The permissions of {@code mode}'s lower nine bits; set-id and sticky bits are dropped. */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : ORDER) {
            if ((mode & (0400 >> p.ordinal())) != 0) {
                out.add(p);
            }
        }
        return out;
    }
}
