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
        Path dir = Cleanup.tempDirectory("regctl-it-cmd-");
        try {
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            extraEnv.forEach((k, v) -> {
                if (v == null) {
                    builder.environment().remove(k);
                } else {
                    builder.environment().put(k, v);
                }
            });
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
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (!finished) {
                throw new CommandFailedException(argv, -1, stderr, "killed after running longer than " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new CommandFailedException(argv, process.exitValue(), stderr, "exit status " + process.exitValue());
            }
            return new Result(Files.readAllBytes(out), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + argv.get(0), e);
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
