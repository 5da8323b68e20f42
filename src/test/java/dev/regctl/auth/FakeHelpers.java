package dev.regctl.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Writes {@code docker-credential-*} shell scripts into a directory that tests put on the PATH
 * of the env map they hand to regctl. Each script records its argv and stdin next to itself,
 * then prints a canned answer and exits with a canned status.
 */
final class FakeHelpers {
    private final Path bin;

    FakeHelpers(Path bin) {
        this.bin = bin;
    }

    /** An environment whose PATH finds these helpers first and the system's sh utilities after. */
    Map<String, String> env() {
        return Map.of("PATH", bin + ":/usr/bin:/bin");
    }

    /** A helper that prints {@code stdout}, {@code stderr} and exits with {@code exit}. */
    FakeHelpers add(String name, String stdout, String stderr, int exit) throws IOException {
        Files.createDirectories(bin);
        String script = "#!/bin/sh\n"
                + "d=$(dirname \"$0\")\n"
                + "printf '%s\\n' \"$@\" >> \"$d/" + name + ".argv\"\n"
                + "cat >> \"$d/" + name + ".stdin\"\n"
                + "cat <<'REGCTL_OUT'\n" + stdout + "\nREGCTL_OUT\n"
                + (stderr.isEmpty() ? "" : "cat >&2 <<'REGCTL_ERR'\n" + stderr + "\nREGCTL_ERR\n")
                + "exit " + exit + "\n";
        Path file = bin.resolve("docker-credential-" + name);
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    /** A helper that answers {@code get} with this username and secret. */
    FakeHelpers answering(String name, String username, String secret) throws IOException {
        return add(name, "{\"ServerURL\":\"ignored\",\"Username\":\"" + username + "\",\"Secret\":\"" + secret + "\"}", "", 0);
    }

    /** A helper that has no credential, in the words of docker-credential-helpers. */
    FakeHelpers empty(String name) throws IOException {
        return add(name, "credentials not found in native keychain", "", 1);
    }

    /**
     * A helper that starts a long {@code sleep} in the background, writes its pid to
     * {@code <name>.child}, and waits for it: it never answers, and its child holds the pipes.
     */
    FakeHelpers hanging(String name) throws IOException {
        Files.createDirectories(bin);
        String script = "#!/bin/sh\n"
                + "d=$(dirname \"$0\")\n"
                + "sleep 600 &\n"
                + "echo $! > \"$d/" + name + ".child\"\n"
                + "wait\n";
        Path file = bin.resolve("docker-credential-" + name);
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    /** A helper that runs {@code body}, a piece of shell, instead of answering. */
    FakeHelpers script(String name, String body) throws IOException {
        Files.createDirectories(bin);
        Path file = bin.resolve("docker-credential-" + name);
        Files.writeString(file, "#!/bin/sh\nd=$(dirname \"$0\")\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    /**
     * A helper that starts a daemon (a long {@code sleep} that inherits stdout, as gpg-agent can),
     * writes its pid to {@code <name>.child}, answers {@code get} and exits at once.
     */
    FakeHelpers leavingADaemon(String name, String username, String secret) throws IOException {
        return script(name, "sleep 600 &\n"
                + "echo $! > \"$d/" + name + ".child\"\n"
                + "printf '%s' '{\"Username\":\"" + username + "\",\"Secret\":\"" + secret + "\"}'\n"
                + "exit 0");
    }

    /** The pid a {@link #hanging} or {@link #leavingADaemon} helper wrote for its child. */
    long childPid(String name) throws IOException {
        return Long.parseLong(Files.readString(bin.resolve(name + ".child")).strip());
    }

    /** Every argument the helper was called with, one per line, over all its runs. */
    String argv(String name) throws IOException {
        Path f = bin.resolve(name + ".argv");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** Everything the helper read on stdin, over all its runs. */
    String stdin(String name) throws IOException {
        Path f = bin.resolve(name + ".stdin");
        return Files.exists(f) ? Files.readString(f) : "";
    }
}
