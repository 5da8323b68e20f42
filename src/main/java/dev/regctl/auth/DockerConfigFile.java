package dev.regctl.auth;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes logins to docker's {@code config.json} where docker would: into the configured helper,
 * else as {@code auths[key].auth}. Writes are atomic, leave the file mode 0600 and keep every
 * other key and entry of the file as it was; each read-modify-write holds {@code config.json.lock}
 * beside the real file so parallel logins and logouts never lose one another's entries.
 */
public final class DockerConfigFile {
    /** As many as Linux follows before ELOOP. */
    private static final int MAX_LINKS = 40;
    /** CREATE_NEW refuses any existing entry, a symbolic link (even a dangling one) included. */
    private static final Set<OpenOption> EXCLUSIVE_NEW =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Map<String, String> env;

    /**
     * @param dockerConfigDir the directory holding {@code config.json}; created on first store
     * @param env             the environment helpers run with (their {@code PATH})
     */
    public DockerConfigFile(Path dockerConfigDir, Map<String, String> env) {
        this.dir = Objects.requireNonNull(dockerConfigDir, "dockerConfigDir");
        this.env = Map.copyOf(env);
    }

    /** The file this writes: {@code <dir>/config.json}. */
    public Path path() {
        return dir.resolve("config.json");
    }

    /**
     * Stores {@code credential} for {@code registry}. With a helper configured for the registry
     * the secret goes only to the helper and, as docker does, {@code auths} keeps an empty entry
     * for the registry (replacing any plaintext one).
     */
    public void store(String registry, Credential.Basic credential) {
        Path file = realFile();
        new ConfigFileLock(file).around(() -> {
            storeLocked(file, registry, credential);
            return null;
        });
    }

    private void storeLocked(Path file, String registry, Credential.Basic credential) {
        ObjectNode config = load(file);
        String key = RegistryKeys.configKey(registry);
        Optional<CredentialHelper> helper = helperFor(config, registry);
        ObjectNode entry = Json.objectNode();
        if (helper.isPresent()) {
            helper.get().store(key, credential);
        } else {
            String userPass = credential.username() + ":" + credential.password();
            entry.put("auth", Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8)));
        }
        ObjectNode auths = auths(config);
        JsonNode previous = auths.get(key);
        if (previous != null && previous.isObject()) {
            // Keep fields docker or other tools added (email, registrytoken...) but never stale secrets.
            ObjectNode merged = ((ObjectNode) previous).deepCopy();
            merged.remove(List.of("auth", "username", "password", "identitytoken"));
            merged.setAll(entry);
            entry = merged;
        }
        auths.set(key, entry);
        write(file, config);
    }

    /**
     * Removes the stored credential for {@code registry}: from its helper when one is configured,
     * and every {@code auths} entry naming the registry (docker's logout also clears the
     * {@code http://} and {@code https://} spellings). Returns whether anything was removed.
     */
    public boolean erase(String registry) {
        Path file = realFile();
        return new ConfigFileLock(file).around(() -> eraseLocked(file, registry));
    }

    private boolean eraseLocked(Path file, String registry) {
        ObjectNode config = load(file);
        boolean removed = false;
        Optional<CredentialHelper> helper = helperFor(config, registry);
        if (helper.isPresent()) {
            removed = helper.get().erase(RegistryKeys.configKey(registry));
        }
        JsonNode auths = config.get("auths");
        if (auths != null && auths.isObject()) {
            String wanted = RegistryKeys.registryOf(registry);
            List<String> keys = new ArrayList<>();
            auths.fieldNames().forEachRemaining(k -> {
                if (RegistryKeys.registryOf(k).equals(wanted)) {
                    keys.add(k);
                }
            });
            if (!keys.isEmpty()) {
                ((ObjectNode) auths).remove(keys);
                write(file, config);
                removed = true;
            }
        }
        return removed;
    }

    private Optional<CredentialHelper> helperFor(ObjectNode config, String registry) {
        JsonNode credHelpers = config.get("credHelpers");
        Optional<String> name = RegistryKeys.find(credHelpers, registry)
                .map(k -> AuthFile.text(credHelpers, k))
                .filter(n -> !n.isEmpty());
        if (name.isEmpty()) {
            name = Optional.of(AuthFile.text(config, "credsStore")).filter(n -> !n.isEmpty());
        }
        return name.map(n -> new CredentialHelper(n, env));
    }

    private static ObjectNode auths(ObjectNode config) {
        JsonNode auths = config.get("auths");
        if (auths != null && auths.isObject()) {
            return (ObjectNode) auths;
        }
        return config.putObject("auths");
    }

    /**
     * The file to read, lock beside and replace: {@code config.json}, or where the symbolic link
     * there leads (it may not exist yet), so a symlinked config is written through to its target
     * as docker does, and the link itself stays.
     */
    private Path realFile() {
        Path file = path().toAbsolutePath();
        try {
            for (int links = 0; Files.isSymbolicLink(file); links++) {
                if (links == MAX_LINKS) {
                    throw new RegctlException(RegctlException.Kind.FAILURE,
                            "cannot write " + path() + ": more than " + MAX_LINKS + " symbolic links to follow");
                }
                file = file.getParent().resolve(Files.readSymbolicLink(file));
            }
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot follow " + file + ": " + e.getMessage());
        }
        return file;
    }

    /** The current file, or an empty object when there is none; a malformed file is never overwritten. */
    private static ObjectNode load(Path file) {
        try {
            return AuthFile.parse(file, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Json.objectNode();
        } catch (IOException e) {
            throw AuthFile.unreadable(file, e);
        }
    }

    /**
     * Replaces {@code target} through a temporary file in the same directory and an atomic rename,
     * so a crash or a concurrent reader never sees half a file. The temporary file is created and
     * written through one exclusive open: it is never opened again by name, so nothing swapped in
     * at that name (a link, another file) can receive the secrets.
     */
    private static void write(Path target, ObjectNode config) {
        Path tmp = null;
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent, ConfigFileLock.ownerOnly("rwx------"));
            byte[] bytes = render(config);
            tmp = writeNew(parent, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot write " + target + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    /** A new owner-only file in {@code dir} holding {@code bytes}, flushed to disk; created exclusively under a fresh random name. */
    private static Path writeNew(Path dir, byte[] bytes) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(".config.json." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, EXCLUSIVE_NEW, ConfigFileLock.ownerOnly("rw-------"))) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }

    /** Tab-indented like docker's own output, so a diff after a login shows only the change. */
    private static byte[] render(ObjectNode config) throws IOException {
        DefaultIndenter tabs = new DefaultIndenter("\t", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(tabs)
                .withArrayIndenter(tabs);
        byte[] body = Json.mapper().writer(printer).writeValueAsBytes(config);
        byte[] out = new byte[body.length + 1];
        System.arraycopy(body, 0, out, 0, body.length);
        out[body.length] = '\n';
        return out;
    }
}
