package dev.regctl.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the built launcher ({@code target/regctl}, the path failsafe passes as
 * {@code regctl.launcher}) as a child process, the way a user or a CI script runs it. The
 * environment is built from scratch: a private {@code HOME} and {@code DOCKER_CONFIG}, the
 * {@code PATH} and {@code JAVA_HOME} needed to find java, a {@code CONTAINERS_REGISTRIES_CONF} naming
 * no file, and nothing else unless a test adds it, so no developer credential, podman auth file,
 * registries.conf or proxy setting can leak into a result.
 *
 * <pre>{@code
 * try (Launcher regctl = Launcher.create()) {
 *     Launcher.Result r = regctl.run("tags", registry.host() + "/app");
 *     Launcher.Result login = regctl.call("login", host, "-u", "alice", "--password-stdin").stdin("pw\n").run();
 * }
 * }</pre>
 */
public final class Launcher implements AutoCloseable {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Starts a command with SIGINT and SIGTERM handled by default, whatever the test JVM
     * inherited: a background job of a non-interactive shell ({@code nohup scripts/test &}) starts
     * with SIGINT ignored, which its children inherit, and the JVM then installs no handler for
     * it. A shell cannot undo that ({@code trap - INT} keeps a signal ignored at entry ignored);
     * perl can, and {@code exec} keeps the PID, so signals still reach regctl.
     */
    private static final List<String> DEFAULT_SIGNALS = perlExec("$SIG{INT} = $SIG{TERM} = 'DEFAULT';");
    /** Starts a command with SIGINT ignored, as such a shell starts its background jobs. */
    private static final List<String> INTERRUPT_IGNORED = perlExec("$SIG{INT} = 'IGNORE';");

    /** The command that sets {@code signals} (perl) and then runs the command after it in the same process. */
    private static List<String> perlExec(String signals) {
        return List.of("perl", "-e", signals + " exec { $ARGV[0] } @ARGV or die \"cannot run $ARGV[0]: $!\\n\"", "--");
    }

    /**
     * What one run left behind.
     *
     * @param argv     the command line (holds a secret only when a test passes {@code -p})
     * @param exitCode the exit status
     * @param stdout   stdout exactly as written, for byte comparisons
     * @param stderr   stderr as UTF-8 text
     */
    public record Result(List<String> argv, int exitCode, byte[] stdout, String stderr) {

        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Non-empty stdout lines. */
        public List<String> stdoutLines() {
            return stdoutText().lines().filter(l -> !l.isEmpty()).toList();
        }

        /** Non-empty stderr lines. */
        public List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isEmpty()).toList();
        }

        /** For assertion messages: everything a failing test needs to see. */
        @Override
        public String toString() {
            return String.join(" ", argv.subList(1, argv.size())) + " -> exit " + exitCode
                    + "\n--- stdout ---\n" + stdoutText() + "--- stderr ---\n" + stderr;
        }
    }

    private final Path launcher;
    private final Path dir;
    private final Path home;
    private final Path dockerConfig;
    private final Path noRegistriesConf;

    private Launcher(Path launcher) {
        this.launcher = launcher;
        this.dir = Cleanup.tempDirectory("regctl-it-launcher-");
        try {
            this.home = Files.createDirectories(dir.resolve("home"));
            this.dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
            this.noRegistriesConf = Files.writeString(dir.resolve("no-registries.conf"), "");
        } catch (IOException e) {
            Cleanup.delete(dir);
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    /** A launcher with its own empty HOME and DOCKER_CONFIG directories. */
    public static Launcher create() {
        String property = System.getProperty("regctl.launcher", "target/regctl");
        Path path = Path.of(property).toAbsolutePath();
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("no executable launcher at " + path
                    + ": build it with ./mvnw -B package -DskipTests (failsafe passes -Dregctl.launcher)");
        }
        return new Launcher(path);
    }

    /** The launcher script under test ({@code target/regctl}). */
    public Path path() {
        return launcher;
    }

    /** The {@code HOME} every run gets. */
    public Path home() {
        return home;
    }

    /** The {@code DOCKER_CONFIG} every run gets (empty until a login or a test writes config.json). */
    public Path dockerConfig() {
        return dockerConfig;
    }

    /** {@code config.json} inside {@link #dockerConfig()}. */
    public Path configJson() {
        return dockerConfig.resolve("config.json");
    }

    /** A scratch directory deleted with this launcher. */
    public Path scratch(String name) {
        try {
            return Files.createDirectories(dir.resolve("scratch").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs regctl with {@code args}, no stdin, the default environment and timeout. */
    public Result run(String... args) {
        return call(args).run();
    }

    /** A run to configure (stdin, environment, timeout) before {@link Call#run()}. */
    public Call call(String... args) {
        return new Call(List.of(args));
    }

    /** Deletes the HOME and DOCKER_CONFIG directories and everything written into them. */
    @Override
    public void close() {
        Cleanup.delete(dir);
    }

    /** A regctl process started by {@link Call#start()}. */
    public static final class Running {
        private final List<String> argv;
        private final Process process;
        private final Path output;

        private Running(List<String> argv, Process process, Path output) {
            this.argv = argv;
            this.process = process;
            this.output = output;
        }

        /** Sends a signal by name ({@code INT}, {@code TERM}) as a terminal or a CI runner would. */
        public void signal(String name) {
            Command.Finished f = Command.execute(new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())),
                    null, Duration.ofSeconds(10));
            if (f.exitCode() != 0) {
                throw new AssertionError("kill -" + name + " failed: " + f.stderr());
            }
        }

        /** Waits for the end (killing it and failing the test after {@code timeout}) and returns what it did. */
        public Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(String.join(" ", argv) + " did not end within " + timeout);
                }
                return new Result(argv, process.exitValue(), Files.readAllBytes(output.resolve("stdout")),
                        Files.readString(output.resolve("stderr")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** One invocation being set up. */
    public final class Call {
        private final List<String> args;
        private Path executable;
        private Path cwd;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<Path> pathPrefix = new ArrayList<>();
        private byte[] stdin;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean interruptIgnoredByParent;

        private Call(List<String> args) {
            this.args = args;
        }

        /** Text for stdin (UTF-8); without it stdin is {@code /dev/null}. */
        public Call stdin(String text) {
            this.stdin = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Sets a variable in the child's environment; {@code null} removes one the launcher would set. */
        public Call env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Runs regctl through {@code executable} (e.g. a symlink to the launcher) instead. */
        public Call through(Path executable) {
            this.executable = executable;
            return this;
        }

        /** Runs in {@code dir} instead of HOME. */
        public Call in(Path dir) {
            this.cwd = dir;
            return this;
        }

        /** Puts {@code dir} in front of the child's {@code PATH} (for credential helpers). */
        public Call prependPath(Path dir) {
            pathPrefix.add(dir.toAbsolutePath());
            return this;
        }

        public Call timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Starts regctl from a parent that ignores SIGINT, as {@code nohup ... &} does, for {@link #start()}. */
        public Call withInterruptIgnoredByParent() {
            this.interruptIgnoredByParent = true;
            return this;
        }

        /** Runs to completion (killed after the timeout, which fails the test) and returns what it did. */
        public Result run() {
            List<String> argv = new ArrayList<>();
            argv.add((executable == null ? launcher : executable).toString());
            argv.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(argv).directory((cwd == null ? home : cwd).toFile());
            environment(builder.environment());
            Command.Finished f = Command.execute(builder, stdin, timeout);
            if (!f.inTime()) {
                throw new AssertionError("regctl " + String.join(" ", args) + " ran longer than " + timeout
                        + "; stderr so far:\n" + f.stderr());
            }
            return new Result(List.copyOf(argv), f.exitCode(), f.stdout(), f.stderr());
        }

        /**
         * Starts regctl and returns at once, for tests that signal it mid-run; stdin is
         * {@code /dev/null}, and the output goes to files read when it ends. SIGINT and SIGTERM
         * are handled by default in regctl whatever this JVM inherited ({@link #DEFAULT_SIGNALS}).
         */
        public Running start() {
            List<String> argv = new ArrayList<>();
            argv.add((executable == null ? launcher : executable).toString());
            argv.addAll(args);
            List<String> command = new ArrayList<>();
            if (interruptIgnoredByParent) {
                command.addAll(INTERRUPT_IGNORED);
            }
            command.addAll(DEFAULT_SIGNALS);
            command.addAll(argv);
            Path out = scratch("run-" + System.nanoTime());
            ProcessBuilder builder = new ProcessBuilder(command).directory((cwd == null ? home : cwd).toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.resolve("stdout").toFile())
                    .redirectError(out.resolve("stderr").toFile());
            environment(builder.environment());
            try {
                return new Running(List.copyOf(argv), builder.start(), out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + argv + " through perl, which resets the signals"
                        + " this JVM may have inherited ignored (install perl)", e);
            }
        }

        private void environment(Map<String, String> child) {
            Map<String, String> parent = System.getenv();
            child.clear();
            List<String> path = new ArrayList<>();
            pathPrefix.forEach(p -> path.add(p.toString()));
            path.addAll(Arrays.asList(parent.getOrDefault("PATH", "/usr/bin:/bin").split(":")));
            child.put("PATH", String.join(":", path));
            if (parent.containsKey("JAVA_HOME")) {
                child.put("JAVA_HOME", parent.get("JAVA_HOME"));
            }
            child.put("HOME", home.toString());
            child.put("DOCKER_CONFIG", dockerConfig.toString());
            // An empty file: no entries, and the machine's /etc/containers/registries.conf unread.
            child.put("CONTAINERS_REGISTRIES_CONF", noRegistriesConf.toString());
            child.put("LANG", "C.UTF-8");
            env.forEach((k, v) -> {
                if (v == null) {
                    child.remove(k);
                } else {
                    child.put(k, v);
                }
            });
        }
    }
}
