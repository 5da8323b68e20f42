package dev.regctl.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived tool to completion with a timeout. Output goes to files rather than pipes so
 * a chatty tool can never block on a full pipe buffer while we wait for it to exit.
 */
final class Command {

    /** What a finished command left behind. */
    record Result(byte[] stdout, String stderr) {
        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Command() {
    }

    /**
     * Runs {@code argv} with {@code extraEnv} added to (or, for null values, removed from) this
     * JVM's environment; returns its output, or throws {@link CommandFailedException} on a
     * non-zero exit or timeout.
     */
    static Result run(List<String> argv, Map<String, String> extraEnv, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        extraEnv.forEach((k, v) -> {
            if (v == null) {
                builder.environment().remove(k);
            } else {
                builder.environment().put(k, v);
            }
        });
        Finished f = execute(builder, null, timeout);
        if (!f.inTime()) {
            throw new CommandFailedException(argv, -1, f.stderr(), "killed after running longer than " + timeout);
        }
        if (f.exitCode() != 0) {
            throw new CommandFailedException(argv, f.exitCode(), f.stderr(), "exit status " + f.exitCode());
        }
        return new Result(f.stdout(), f.stderr());
    }

    /** How a process ended: in time or killed, its exit code, and everything it wrote. */
    record Finished(boolean inTime, int exitCode, byte[] stdout, String stderr) {
    }

    /**
     * Starts the configured process with {@code stdin} (null: none), waits at most
     * {@code timeout}, stops it in any case and returns what it did. Shared by every test that
     * runs a child process, so all of them are tracked for clean-up the same way.
     */
    static Finished execute(ProcessBuilder builder, byte[] stdin, Duration timeout) {
        List<String> argv = builder.command();
        Path dir = Cleanup.tempDirectory("regctl-it-cmd-");
        try {
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Path in = dir.resolve("stdin");
            if (stdin != null) {
                Files.write(in, stdin);
            }
            builder.redirectInput(stdin != null ? in.toFile() : Path.of("/dev/null").toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Process process = Cleanup.track(start(builder, argv));
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            } finally {
                Cleanup.stop(process);
            }
            return new Finished(finished, finished ? process.exitValue() : -1, Files.readAllBytes(out),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("running " + argv.get(0), e);
        } finally {
            Cleanup.delete(dir);
        }
    }

    private static Process start(ProcessBuilder builder, List<String> argv) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + argv.get(0) + ": " + e.getMessage()
                    + "; the integration tests need it installed: " + ExternalTools.INSTALL, e);
        }
    }
}
