package dev.regctl.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A containers-auth.json (the docker config {@code auths} format) in a private temp file, so
 * credentials reach skopeo (or regctl) through a file of mode 0600 and never through argv.
 *
 * <pre>{@code
 * try (AuthFile auth = AuthFile.create().login(registry.host(), "alice", "alice-pw")) {
 *     Skopeo.withAuthFile(auth.path()).copy(src, dst);
 * }
 * }</pre>
 */
public final class AuthFile implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path file;
    private final Map<String, Map<String, String>> auths = new LinkedHashMap<>();

    private AuthFile() {
        this.dir = Cleanup.tempDirectory("regctl-it-auth-");
        this.file = dir.resolve("auth.json");
        write();
    }

    /** An auth file with no credentials: clients using it are anonymous everywhere. */
    public static AuthFile create() {
        return new AuthFile();
    }

    /** Adds (or replaces) the credentials for {@code host} ({@code 127.0.0.1:PORT}) and rewrites the file. */
    public AuthFile login(String host, String user, String password) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        auths.put(host, Map.of("auth", basic));
        write();
        return this;
    }

    /** The file's path, for {@code --authfile} or {@code REGISTRY_AUTH_FILE}. */
    public Path path() {
        return file;
    }

    /** Deletes the file. */
    @Override
    public void close() {
        Cleanup.delete(dir);
    }

    private void write() {
        try {
            if (!Files.exists(file)) {
                // Created private before the first byte of a secret is written into it.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(file, JSON.writeValueAsBytes(Map.of("auths", auths)));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
