package dev.regctl.cli;

import dev.regctl.RegctlException;

/** The documented exit codes (docs/commands.md) and the one place failures are mapped to them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int AUTH = 4;
    public static final int UNSUPPORTED = 5;

    private ExitCodes() {
    }

    public static int of(RegctlException.Kind kind) {
        return switch (kind) {
            case USAGE -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case AUTH -> AUTH;
            case UNSUPPORTED -> UNSUPPORTED;
            case FAILURE -> FAILURE;
        };
    }
}
