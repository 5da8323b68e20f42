package dev.regctl.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A docker credential helper, the program {@code docker-credential-<name>}, spoken to through its
 * {@code get}/{@code store}/{@code erase}/{@code list} protocol: the action is the only argument,
 * everything else (server URL, JSON with the secret) goes through stdin and stdout.
 */
final class CredentialHelper {
    /** The username helpers and docker use to say "the secret is an identity token". */
    public static final String TOKEN_USERNAME = "<token>";

    /**
     * How long a helper may take to answer. Helpers that prompt (a locked keychain, a gpg
     * passphrase) can block forever when no one is there to answer; docker has no limit, but a
     * command that hangs in CI is worse than one that fails.
     */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(30);

    /**
     * The most a helper may write on stdout or stderr. docker-credential-helpers answer in a few
     * hundred bytes; anything near this is a broken or hostile helper, never to be held in memory.
     */
    static final int MAX_OUTPUT = 1024 * 1024;
    private static final String MAX_OUTPUT_TEXT = "1 MiB";

    private static final String NOT_FOUND = "credentials not found";

    private final String name;
    private final Map<String, String> env;
    private final Duration timeLimit;

    /**
     * @param name the helper's suffix, as written in {@code credsStore} or {@code credHelpers}
     * @param env  the environment the helper runs with; its {@code PATH} is where it is looked for
     */
    public CredentialHelper(String name, Map<String, String> env) {
        this(name, env, TIME_LIMIT);
    }

    /** As above, with another time limit (tests wait less than {@link #TIME_LIMIT}). */
    CredentialHelper(String name, Map<String, String> env, Duration timeLimit) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains(File.separator)
                || name.equals(".") || name.equals("..")) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid credential helper name \"" + name + "\"");
        }
        this.name = name;
        this.env = Map.copyOf(env);
        this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
    }

    /** The program this helper runs, e.g. {@code docker-credential-pass}. */
    public String program() {
        return "docker-credential-" + name;
    }

    /**
     * The stored credential for {@code serverUrl}, or empty when the helper has none. A username
     * of {@value #TOKEN_USERNAME} marks the secret as an identity token.
     */
    public Optional<Credential> get(String serverUrl) {
        Result r = run("get", serverUrl.getBytes(StandardCharsets.UTF_8));
        if (r.exit != 0) {
            if (r.says(NOT_FOUND)) {
                return Optional.empty();
            }
            throw r.failure();
        }
        JsonNode answer;
        try {
            answer = Json.readTree(r.stdout);
        } catch (IOException e) {
            // The output is not quoted: if it is garbled it may still contain the secret.
            throw new RegctlException(RegctlException.Kind.FAILURE, program() + " get gave output that is not JSON");
        }
        if (answer == null || !answer.isObject()) {
            throw new RegctlException(RegctlException.Kind.FAILURE, program() + " get gave output that is not a JSON object");
        }
        String username = AuthFile.text(answer, "Username");
        String secret = AuthFile.text(answer, "Secret");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        if (username.equals(TOKEN_USERNAME)) {
            return Optional.of(new Credential.IdentityToken(username, secret));
        }
        return Optional.of(new Credential.Basic(username, secret));
    }

    /** Stores a Basic credential, or an identity token under the username {@value #TOKEN_USERNAME}. */
    public void store(String serverUrl, Credential credential) {
        String username;
        String secret;
        if (credential instanceof Credential.Basic b) {
            username = b.username();
            secret = b.password();
        } else if (credential instanceof Credential.IdentityToken t) {
            username = TOKEN_USERNAME;
            secret = t.token();
        } else {
            throw new IllegalArgumentException("nothing to store for " + credential);
        }
        ObjectNode input = Json.objectNode()
                .put("ServerURL", serverUrl)
                .put("Username", username)
                .put("Secret", secret);
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(input);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode helper input", e);
        }
        Result r = run("store", bytes, secret);
        if (r.exit != 0) {
            throw r.failure();
        }
    }

    /** Removes the credential for {@code serverUrl}; false when the helper had none. */
    public boolean erase(String serverUrl) {
        Result r = run("erase", serverUrl.getBytes(StandardCharsets.UTF_8));
        if (r.exit != 0) {
            if (r.says(NOT_FOUND)) {
                return false;
            }
            throw r.failure();
        }
        return true;
    }

    /** Every server URL the helper holds a credential for, with its username. */
    public Map<String, String> list() {
        Result r = run("list", new byte[0]);
        if (r.exit != 0) {
            throw r.failure();
        }
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode answer = Json.readTree(r.stdout);
            if (answer != null && answer.isObject()) {
                answer.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
                return out;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new RegctlException(RegctlException.Kind.FAILURE, program() + " list gave output that is not a JSON object");
    }

    private Result run(String action, byte[] input, String... secrets) {
        Path executable = executable();
        ProcessBuilder pb = new ProcessBuilder(executable.toString(), action);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot run " + executable + ": " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeLimit.toNanos();
        // Every pipe on its own thread, so a helper that stops reading or writing cannot block
        // regctl past the deadline, and a chatty one cannot fill a pipe and block itself.
        writeInBackground(process, action, input);
        HelperPipe stdout = new HelperPipe(process.getInputStream(), MAX_OUTPUT, threadName(action, "stdout"));
        HelperPipe stderr = new HelperPipe(process.getErrorStream(), MAX_OUTPUT, threadName(action, "stderr"));
        try {
            CompletableFuture.anyOf(process.onExit(), stdout.overflow(), stderr.overflow())
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (!process.isAlive()) {
                stdout.helperExited();
                stderr.helperExited();
                CompletableFuture.allOf(stdout.contents(), stderr.contents()).get(remaining(deadline), TimeUnit.NANOSECONDS);
            }
            if (stdout.overflow().isDone()) {
                throw tooMuch(process, "answered more than " + MAX_OUTPUT_TEXT + " to " + action);
            }
            if (stderr.overflow().isDone()) {
                throw tooMuch(process, "wrote more than " + MAX_OUTPUT_TEXT + " to stderr during " + action);
            }
            return new Result(action, process.exitValue(), stdout.contents().join(), stderr.contents().join(), secrets);
        } catch (TimeoutException e) {
            throw timedOut(process, action);
        } catch (ExecutionException e) {
            kill(process);
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot talk to " + program() + ": " + e.getCause());
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new RegctlException(RegctlException.Kind.FAILURE, "interrupted while running " + program());
        } finally {
            // Also after a kill or an overflow, so no reader is left polling a pipe a daemon holds.
            stdout.helperExited();
            stderr.helperExited();
        }
    }

    private RegctlException timedOut(Process process, String action) {
        kill(process);
        return new RegctlException(RegctlException.Kind.FAILURE, "credential helper " + program() + " did not answer "
                + action + " within " + describe(timeLimit) + "; it was stopped",
                "check that " + program() + " works when run by hand (a locked keychain or a passphrase prompt can hang it)",
                null);
    }

    /** The helper's output is not an answer: docker-credential-helpers answer in a few hundred bytes. */
    private RegctlException tooMuch(Process process, String what) {
        kill(process);
        return new RegctlException(RegctlException.Kind.FAILURE, "credential helper " + program() + " " + what,
                "check that " + program() + " works when run by hand", null);
    }

    /** Kills the helper and everything it started; children first, because they are only found through it. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Sends the input and closes stdin; a helper that exits without reading it is judged by its exit status. */
    private void writeInBackground(Process process, String action, byte[] input) {
        Thread t = new Thread(() -> {
            try (OutputStream out = process.getOutputStream()) {
                out.write(input);
            } catch (IOException e) {
                // The helper exited without reading its input; its exit status says why.
            }
        }, threadName(action, "stdin"));
        t.setDaemon(true);
        t.start();
    }

    private String threadName(String action, String pipe) {
        return program() + "-" + action + "-" + pipe;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * Finds the helper on the PATH of the given environment, as a shell would, but only in
     * absolute directories: a relative entry ({@code .}, {@code bin}, or an empty one, which
     * means {@code .}) would run whatever the directory regctl happens to be started in holds,
     * so it is skipped, as Go's {@code exec.LookPath} (and so docker) refuses it since Go 1.19.
     */
    private Path executable() {
        String path = env.getOrDefault("PATH", env.getOrDefault("Path", ""));
        String relativeEntry = null;
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path entry = Path.of(dir.isEmpty() ? "." : dir);
            Optional<Path> found = candidates().stream().map(entry::resolve)
                    .filter(f -> Files.isRegularFile(f) && Files.isExecutable(f))
                    .findFirst();
            if (found.isEmpty()) {
                continue;
            }
            if (entry.isAbsolute()) {
                return found.get();
            }
            if (relativeEntry == null) {
                relativeEntry = dir;
            }
        }
        if (relativeEntry != null) {
            throw new RegctlException(RegctlException.Kind.USAGE, "credential helper " + program()
                    + " is found only through the relative PATH entry \"" + relativeEntry
                    + "\", and regctl runs no helper found relative to the working directory",
                    "put the helper's directory on PATH as an absolute path", null);
        }
        throw new RegctlException(RegctlException.Kind.USAGE, "credential helper " + program() + " not found on PATH",
                "install " + program() + ", or remove \"" + name + "\" from credsStore/credHelpers in the docker config",
                null);
    }

    private List<String> candidates() {
        List<String> names = new ArrayList<>(List.of(program()));
        if (File.separatorChar == '\\') {
            for (String ext : env.getOrDefault("PATHEXT", ".COM;.EXE;.BAT;.CMD").split(";")) {
                names.add(program() + ext.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** One finished run; its text is only ever shown with the secrets sent to the helper masked. */
    private final class Result {
        final String action;
        final int exit;
        final byte[] stdout;
        final byte[] stderr;
        final String[] secrets;

        Result(String action, int exit, byte[] stdout, byte[] stderr, String[] secrets) {
            this.action = action;
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
            this.secrets = secrets;
        }

        boolean says(String phrase) {
            return output().toLowerCase(Locale.ROOT).contains(phrase);
        }

        String output() {
            return (new String(stdout, StandardCharsets.UTF_8) + "\n" + new String(stderr, StandardCharsets.UTF_8)).strip();
        }

        RegctlException failure() {
            String text = Redaction.oneLine(Redaction.redact(output(), secrets), 300);
            String message = program() + " " + action + " failed (exit " + exit + ")"
                    + (text.isEmpty() ? "" : ": " + text);
            return new RegctlException(RegctlException.Kind.FAILURE, message);
        }
    }
}
