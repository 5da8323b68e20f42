package dev.regctl.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A docker credential helper ({@code docker-credential-NAME}) written as a bash script into a
 * directory a test puts first on the child's {@code PATH}. It holds one credential in a file
 * beside itself and records, for the test to assert on, every argv it was run with and every
 * {@code store} input it read on stdin: secrets must arrive there and never in argv.
 *
 * <pre>{@code
 * CredentialHelperScript helper = CredentialHelperScript.install(dir, "test");
 * helper.preload(registry.host(), "alice", "alice-secret");
 * regctl.call("tags", ref).prependPath(helper.dir()).run();
 * assertEquals(List.of("get"), helper.argvLog());
 * }</pre>
 */
public final class CredentialHelperScript {

    private static final ObjectMapper JSON = new ObjectMapper();

    // get: the stored JSON when its ServerURL is the one asked for, else docker's "not found" answer.
    private static final String SCRIPT = """
            #!/bin/bash
            set -u
            here="$(cd "$(dirname "$0")" && pwd)"
            printf '%s\\n' "$*" >> "$here/argv.log"
            input="$(cat)"
            case "${1:-}" in
              store)
                printf '%s\\n' "$input" >> "$here/store-input.log"
                printf '%s' "$input" > "$here/credential.json"
                ;;
              get)
                if [ -f "$here/credential.json" ] && grep -qF "\\"ServerURL\\":\\"$input\\"" "$here/credential.json"; then
                  cat "$here/credential.json"
                else
                  echo "credentials not found in native keychain"
                  exit 1
                fi
                ;;
              erase)
                if [ -f "$here/credential.json" ] && grep -qF "\\"ServerURL\\":\\"$input\\"" "$here/credential.json"; then
                  rm -f "$here/credential.json"
                else
                  echo "credentials not found in native keychain"
                  exit 1
                fi
                ;;
              list)
                echo '{}'
                ;;
              *)
                echo "unknown action: ${1:-}" >&2
                exit 2
                ;;
            esac
            """;

    private final Path dir;

    private CredentialHelperScript(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code docker-credential-NAME} into {@code dir}, which should hold nothing else. */
    public static CredentialHelperScript install(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path script = dir.resolve("docker-credential-" + name);
            Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return new CredentialHelperScript(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the credential helper into " + dir, e);
        }
    }

    /** The directory to prepend to {@code PATH}. */
    public Path dir() {
        return dir;
    }

    /** Stores a credential as if {@code docker login} had put it into the helper. */
    public void preload(String serverUrl, String user, String secret) {
        try {
            Files.write(dir.resolve("credential.json"),
                    JSON.writeValueAsBytes(Map.of("ServerURL", serverUrl, "Username", user, "Secret", secret)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the stored credential, as if it had never been stored. */
    public void forget() {
        try {
            Files.deleteIfExists(dir.resolve("credential.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The argument lists the helper was run with, one per run, oldest first. */
    public List<String> argvLog() {
        return lines("argv.log");
    }

    /** The stdin of every {@code store} run, oldest first. */
    public List<String> storeInputs() {
        return lines("store-input.log");
    }

    /** True when the helper currently holds a credential. */
    public boolean holdsCredential() {
        return Files.exists(dir.resolve("credential.json"));
    }

    private List<String> lines(String file) {
        Path log = dir.resolve(file);
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
